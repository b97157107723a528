// ops::group_norm (CPU reference) against a double-precision restatement of
// torch.nn.GroupNorm on fresh random inputs.
#include <gtest/gtest.h>

#include <cmath>

#include "core/base/error.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/norm.h"
#include "core/ops/random.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using test::rel_l2;
using ops::to_f32_vector;

// torch.nn.GroupNorm in f64: per (sample, group) mean and biased variance over the
// group's channels × spatial elements, then the per-channel affine.
std::vector<double> naive_group_norm(const Tensor& x, const Tensor& w, const Tensor& b, int64_t groups, double eps) {
  const std::vector<float> xv = to_f32_vector(x);
  const std::vector<float> wv = w.defined() ? to_f32_vector(w) : std::vector<float>();
  const std::vector<float> bv = b.defined() ? to_f32_vector(b) : std::vector<float>();
  const int64_t n = x.size(0), c = x.size(1), spatial = x.numel() / (n * c), per_group = c / groups;
  std::vector<double> out(xv.size());
  for (int64_t s = 0; s < n; ++s) {
    for (int64_t g = 0; g < groups; ++g) {
      const int64_t begin = (s * c + g * per_group) * spatial, count = per_group * spatial;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < count; ++i) mean += xv[begin + i];
      mean /= count;
      for (int64_t i = 0; i < count; ++i) var += (xv[begin + i] - mean) * (xv[begin + i] - mean);
      var /= count;
      for (int64_t i = 0; i < count; ++i) {
        const int64_t ch = g * per_group + i / spatial;
        double y = (xv[begin + i] - mean) / std::sqrt(var + eps);
        if (!wv.empty()) y *= wv[ch];
        if (!bv.empty()) y += bv[ch];
        out[begin + i] = y;
      }
    }
  }
  return out;
}

struct GroupNormCase {
  Shape shape;
  int64_t groups;
  bool weight, bias;
};

class GroupNormCpu : public ::testing::TestWithParam<GroupNormCase> {};

TEST_P(GroupNormCpu, MatchesTorchGroupNorm) {
  const GroupNormCase p = GetParam();
  const uint64_t seed = test::fresh_seed();
  const int64_t c = p.shape[1];
  // Per-channel offsets and scales of different size, so each group has its own statistics.
  Tensor x = ops::randn(p.shape, seed);
  Shape channel_shape(p.shape.size(), 1);
  channel_shape[1] = c;
  const Tensor offset = ops::scale(ops::randn(channel_shape, seed + 1), 3.0f);
  const Tensor spread =
      ops::add(ops::scale(ops::rand(channel_shape, seed + 2), 4.0f), ops::full({1}, 0.25f, DType::kF32));
  x = ops::add(ops::mul(x, spread), offset);  // broadcast over [N, C, ...]
  const Tensor w =
      p.weight ? ops::add(ops::scale(ops::randn({c}, seed + 3), 0.5f), ops::full({1}, 1.0f, DType::kF32)) : Tensor();
  const Tensor b = p.bias ? ops::randn({c}, seed + 4) : Tensor();
  test::expect_non_constant(x);

  const Tensor y = ops::group_norm(x, w, b, p.groups, 1e-6f);
  ASSERT_EQ(y.shape(), x.shape());
  EXPECT_TRUE(y.is_contiguous());
  const double err = rel_l2(to_f32_vector(y), naive_group_norm(x, w, b, p.groups, 1e-6));
  EXPECT_LE(err, 1e-6);

  // bf16: statistics in f32 from the rounded input; the normalized value and the affine
  // result are each rounded once, so the error is a few bf16 ulps (2^-8 relative) at most.
  const Tensor xb = ops::cast(x, DType::kBF16);
  const Tensor yb = ops::group_norm(xb, w.defined() ? ops::cast(w, DType::kBF16) : w,
                                    b.defined() ? ops::cast(b, DType::kBF16) : b, p.groups, 1e-6f);
  EXPECT_EQ(yb.dtype(), DType::kBF16);
  const Tensor wr = w.defined() ? ops::cast(ops::cast(w, DType::kBF16), DType::kF32) : w;
  const Tensor br = b.defined() ? ops::cast(ops::cast(b, DType::kBF16), DType::kF32) : b;
  const double err_bf16 =
      rel_l2(to_f32_vector(yb), naive_group_norm(ops::cast(xb, DType::kF32), wr, br, p.groups, 1e-6));
  EXPECT_LE(err_bf16, 8e-3);
  std::printf("group_norm %s G=%ld: f32 rel-L2 %.2e, bf16 %.2e\n", shape_to_string(p.shape).c_str(),
              static_cast<long>(p.groups), err, err_bf16);
}

INSTANTIATE_TEST_SUITE_P(Shapes, GroupNormCpu,
                         ::testing::Values(GroupNormCase{{2, 12, 5, 7}, 4, true, true},
                                           GroupNormCase{{1, 32, 6, 6}, 32, true, true},  // one channel per group
                                           GroupNormCase{{3, 8, 4, 9}, 1, true, false},   // one group (LayerNorm-like)
                                           GroupNormCase{{2, 6, 11, 3}, 2, false, false},
                                           GroupNormCase{{2, 16, 5}, 8, false, true},         // [N, C, L]
                                           GroupNormCase{{1, 64, 20, 20}, 32, true, true}));  // the VAE's 32 groups

TEST(GroupNormCpu, ChannelLastInputGivesTheSameContiguousResult) {
  const uint64_t seed = test::fresh_seed();
  const Tensor x = ops::randn({2, 8, 5, 6}, seed), w = ops::randn({8}, seed + 1), b = ops::randn({8}, seed + 2);
  const Tensor y = ops::group_norm(ops::to_channels_last(x), w, b, 4, 1e-6f);
  EXPECT_TRUE(y.is_contiguous());
  EXPECT_EQ(to_f32_vector(y), to_f32_vector(ops::group_norm(x, w, b, 4, 1e-6f)));
}

TEST(GroupNormCpu, RejectsBadGroupsAndAffineShapes) {
  const Tensor x = ops::randn({1, 12, 4, 4}, 1);
  try {
    ops::group_norm(x, {}, {}, 5, 1e-6f);
    ADD_FAILURE() << "12 channels in 5 groups was accepted";
  } catch (const ErrorException& e) {
    EXPECT_NE(std::string(e.what()).find("12 channels"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("5 groups"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::group_norm(x, {}, {}, 0, 1e-6f), ErrorException);
  EXPECT_THROW(ops::group_norm(x, ops::randn({6}, 2), {}, 3, 1e-6f), ErrorException);
  EXPECT_THROW(ops::group_norm(x, {}, ops::randn({12, 1}, 2), 3, 1e-6f), ErrorException);
  EXPECT_THROW(ops::group_norm(ops::randn({12}, 3), {}, {}, 3, 1e-6f), ErrorException);
}

}  // namespace
}  // namespace dc
