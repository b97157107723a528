// CPU reference ops on channels-last input: the same values as on NCHW input,
// the output in the input's layout; and the fused ops against their unfused chains.
#include <gtest/gtest.h>

#include <functional>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/linear_attention.h"
#include "core/ops/norm.h"
#include "core/ops/resample.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

bool nhwc(const Tensor& t) { return t.is_channels_last() && !t.is_contiguous(); }

// Exact equality: every op here computes each element by the same formula in both layouts.
void expect_same(const Tensor& got, const Tensor& want, const char* what) {
  ASSERT_EQ(got.shape(), want.shape()) << what;
  EXPECT_EQ(ops::to_f32_vector(got), ops::to_f32_vector(want)) << what;
}

class ChannelsLastCpu : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = test::fresh_seed();
    x_ = ops::randn({2, 12, 5, 7}, seed_);
    xl_ = ops::to_channels_last(x_);
    ASSERT_TRUE(nhwc(xl_));
    test::expect_non_constant(x_);
  }
  uint64_t seed_ = 0;
  Tensor x_, xl_;
};

TEST_F(ChannelsLastCpu, PointwiseAndBinaryKeepTheLayout) {
  const Tensor y = ops::randn({2, 12, 5, 7}, seed_ + 1), yl = ops::to_channels_last(y);
  for (auto op : {ops::add, ops::sub, ops::mul}) {
    const Tensor want = op(x_, y);
    const Tensor same = op(xl_, yl), mixed = op(xl_, y), other = op(x_, yl);
    EXPECT_TRUE(nhwc(same));
    EXPECT_TRUE(nhwc(mixed));
    EXPECT_TRUE(other.is_contiguous());
    expect_same(same, want, "same layout");
    expect_same(mixed, want, "mixed layouts");
    expect_same(other, want, "contiguous a, channels-last b");
  }
  const Tensor bias = ops::randn({12, 1, 1}, seed_ + 2);
  expect_same(ops::add(xl_, bias), ops::add(x_, bias), "broadcast over channels-last");
  const Tensor act = ops::activation(xl_, ops::Activation::kGELU);
  EXPECT_TRUE(nhwc(act));
  expect_same(act, ops::activation(x_, ops::Activation::kGELU), "activation");
  const Tensor sc = ops::scale(xl_, 0.3f);
  EXPECT_TRUE(nhwc(sc));
  expect_same(sc, ops::scale(x_, 0.3f), "scale");
}

TEST_F(ChannelsLastCpu, GatedActivationReadsChannelHalvesInPlace) {
  const std::vector<Tensor> halves = x_.chunk(2, 1), halves_l = xl_.chunk(2, 1);
  const Tensor want = ops::gated_activation(ops::contiguous(halves[0]), ops::contiguous(halves[1]),
                                            ops::Activation::kSiLU);
  const Tensor nchw = ops::gated_activation(halves[0], halves[1], ops::Activation::kSiLU);
  const Tensor cl = ops::gated_activation(halves_l[0], halves_l[1], ops::Activation::kSiLU);
  EXPECT_TRUE(nchw.is_contiguous());
  EXPECT_TRUE(nhwc(cl));
  expect_same(nchw, want, "NCHW halves");
  expect_same(cl, want, "channels-last halves");
  // Halves of different tensors (different strides) still work.
  expect_same(ops::gated_activation(halves_l[0], halves[1], ops::Activation::kSiLU), want, "mixed halves");
}

TEST_F(ChannelsLastCpu, ChannelNormsKeepTheLayoutAndFuseTheirEpilogue) {
  const Tensor w = ops::randn({12}, seed_ + 3), b = ops::randn({12}, seed_ + 4);
  const Tensor r = ops::randn({2, 12, 5, 7}, seed_ + 5);
  const Tensor plain = ops::rms_norm_channels(x_, w, b, 1e-5f);
  const Tensor cl = ops::rms_norm_channels(xl_, w, b, 1e-5f);
  EXPECT_TRUE(nhwc(cl));
  expect_same(cl, plain, "rms_norm_channels");
  // Fused: act(norm) + residual, one rounding; equal to the unfused chain in f32.
  const Tensor chain = ops::add(ops::activation(plain, ops::Activation::kSiLU), r);
  for (const Tensor& in : {x_, xl_}) {
    for (const Tensor& res : {r, ops::to_channels_last(r)}) {
      const Tensor fused = ops::rms_norm_channels(in, w, b, 1e-5f, res, ops::Activation::kSiLU);
      EXPECT_EQ(nhwc(fused), nhwc(in));
      expect_same(fused, chain, "rms_norm_channels + act + residual");
    }
  }
  const Tensor scale = ops::randn({12}, seed_ + 6), shift = ops::randn({12}, seed_ + 7);
  const Tensor affine = ops::channel_affine(x_, scale, shift);
  const Tensor affine_l = ops::channel_affine(xl_, scale, shift);
  EXPECT_TRUE(nhwc(affine_l));
  expect_same(affine_l, affine, "channel_affine");
  expect_same(ops::channel_affine(xl_, scale, shift, r), ops::add(affine, r), "channel_affine + residual");
}

TEST_F(ChannelsLastCpu, ResampleFamilyKeepsTheLayout) {
  struct Case {
    const char* name;
    std::function<Tensor(const Tensor&)> fn;
  };
  const Case cases[] = {
      {"pixel_shuffle", [](const Tensor& t) { return ops::pixel_shuffle(t, 2); }},
      {"pixel_unshuffle", [](const Tensor& t) { return ops::pixel_unshuffle(t, 2); }},
      {"upsample_nearest2d", [](const Tensor& t) { return ops::upsample_nearest2d(t, 3); }},
      {"channel_group_mean", [](const Tensor& t) { return ops::channel_group_mean(t, 4); }},
      {"repeat_interleave_channels", [](const Tensor& t) { return ops::repeat_interleave_channels(t, 2); }},
  };
  const Tensor x = ops::randn({2, 12, 6, 8}, seed_ + 11), xl = ops::to_channels_last(x);
  for (const Case& c : cases) {
    const Tensor want = c.fn(x), got = c.fn(xl);
    EXPECT_TRUE(nhwc(got)) << c.name;
    expect_same(got, want, c.name);
  }
}

TEST_F(ChannelsLastCpu, PixelShuffleWithShortcutEqualsTheUnfusedUpBlock) {
  const Tensor s = ops::randn({2, 3, 5, 7}, seed_ + 8);  // repeated 4x into 12 channels
  const Tensor want = ops::add(ops::pixel_shuffle(x_, 2), ops::pixel_shuffle(ops::repeat_interleave_channels(s, 4), 2));
  expect_same(ops::pixel_shuffle(x_, 2, s), want, "NCHW");
  const Tensor cl = ops::pixel_shuffle(xl_, 2, ops::to_channels_last(s));
  EXPECT_TRUE(nhwc(cl));
  expect_same(cl, want, "channels-last");
  expect_same(ops::pixel_shuffle(xl_, 2, s), want, "channels-last x, NCHW shortcut");
}

TEST_F(ChannelsLastCpu, AddShuffledShortcutEqualsTheUnfusedInterpolatingUpBlock) {
  const Tensor h = ops::randn({2, 6, 10, 14}, seed_ + 12);
  for (int64_t cs : {3, 4, 12}) {  // repeats 8, 6 and 2 into 6·4 channels
    const Tensor s = ops::randn({2, cs, 5, 7}, seed_ + 13 + cs);
    const Tensor want = ops::add(h, ops::pixel_shuffle(ops::repeat_interleave_channels(s, 24 / cs), 2));
    expect_same(ops::add_shuffled_shortcut(h, s, 2), want, "NCHW");
    const Tensor cl = ops::add_shuffled_shortcut(ops::to_channels_last(h), ops::to_channels_last(s), 2);
    EXPECT_TRUE(nhwc(cl));
    expect_same(cl, want, "channels-last");
  }
}

TEST_F(ChannelsLastCpu, ConcatAlongChannelsKeepsTheLayout) {
  const Tensor y = ops::randn({2, 5, 5, 7}, seed_ + 9);
  const Tensor got = ops::concat({xl_, ops::to_channels_last(y)}, 1);
  EXPECT_TRUE(nhwc(got));
  expect_same(got, ops::concat({x_, y}, 1), "concat dim 1");
}

// The DC-AE regrouping: heads' = C / (3d) groups of [q | k | v] channels per pixel.
TEST_F(ChannelsLastCpu, LinearAttentionReadsStridedViewsOfChannelsLastQkv) {
  const int64_t n = 2, d = 4, heads = 3, h = 5, w = 6;
  const Tensor qkv = ops::randn({n, 3 * d * heads, h, w}, seed_ + 10);
  const Tensor grouped = qkv.view({n, -1, 3 * d, h * w});
  const Tensor want = ops::relu_linear_attention(ops::contiguous(grouped.slice(2, 0, d)),
                                                 ops::contiguous(grouped.slice(2, d, 2 * d)),
                                                 ops::contiguous(grouped.slice(2, 2 * d, 3 * d)), 1e-15f);
  const Tensor strided = ops::relu_linear_attention(grouped.slice(2, 0, d), grouped.slice(2, d, 2 * d),
                                                    grouped.slice(2, 2 * d, 3 * d), 1e-15f);
  EXPECT_TRUE(strided.is_contiguous());
  expect_same(strided, want, "NCHW slices");
  const Tensor gl = ops::to_channels_last(qkv).permute({0, 2, 3, 1}).view({n, h * w, -1, 3 * d}).permute({0, 2, 3, 1});
  const Tensor cl = ops::relu_linear_attention(gl.slice(2, 0, d), gl.slice(2, d, 2 * d), gl.slice(2, 2 * d, 3 * d),
                                               1e-15f);
  EXPECT_EQ(cl.stride(2), 1);  // token-major
  expect_same(cl, want, "channels-last views");
  const Tensor as_image = cl.permute({0, 3, 1, 2}).view({n, h, w, -1}).permute({0, 3, 1, 2});
  EXPECT_TRUE(nhwc(as_image));
  expect_same(as_image, want.view({n, -1, h, w}), "regrouped into channels-last [N, C, H, W]");
}

}  // namespace
}  // namespace dc
