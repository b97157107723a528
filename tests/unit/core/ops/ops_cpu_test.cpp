// CPU reference ops against independent naive formulas on fresh random inputs.
#include <gtest/gtest.h>

#include <cmath>

#include "core/ops/conv.h"
#include "core/ops/elementwise.h"
#include "core/ops/gemm.h"
#include "core/ops/linear_attention.h"
#include "core/ops/norm.h"
#include "core/ops/resample.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using ops::to_f32_vector;

double rel_l2(const std::vector<float>& a, const std::vector<double>& ref) {
  double num = 0, den = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    num += (a[i] - ref[i]) * (a[i] - ref[i]);
    den += ref[i] * ref[i];
  }
  return std::sqrt(num / den);
}

struct ConvCase {
  int64_t n, cin, h, w, cout, k;
  int stride, pad, groups;
  bool bias;
};

class Conv2dCpu : public ::testing::TestWithParam<ConvCase> {};

TEST_P(Conv2dCpu, MatchesNaiveLoops) {
  const ConvCase c = GetParam();
  const uint64_t seed = test::fresh_seed();
  Tensor x = ops::randn({c.n, c.cin, c.h, c.w}, seed);
  Tensor wt = ops::randn({c.cout, c.cin / c.groups, c.k, c.k}, seed + 1);
  Tensor b = c.bias ? ops::randn({c.cout}, seed + 2) : Tensor();
  test::expect_non_constant(x);
  Tensor y = ops::conv2d(x, wt, b, {.stride = c.stride, .padding = c.pad, .groups = c.groups});
  const int64_t oh = y.size(2), ow = y.size(3);
  ASSERT_EQ(oh, (c.h + 2 * c.pad - c.k) / c.stride + 1);
  const auto xv = to_f32_vector(x), wv = to_f32_vector(wt);
  const auto bv = c.bias ? to_f32_vector(b) : std::vector<float>(c.cout, 0.0f);
  const int64_t cin_g = c.cin / c.groups, cout_g = c.cout / c.groups;
  std::vector<double> ref(y.numel());
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t co = 0; co < c.cout; ++co)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          double acc = bv[co];
          const int64_t g = co / cout_g;
          for (int64_t ci = 0; ci < cin_g; ++ci)
            for (int64_t ky = 0; ky < c.k; ++ky)
              for (int64_t kx = 0; kx < c.k; ++kx) {
                const int64_t iy = oy * c.stride - c.pad + ky, ix = ox * c.stride - c.pad + kx;
                if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
                acc += static_cast<double>(xv[((n * c.cin + g * cin_g + ci) * c.h + iy) * c.w + ix]) *
                       wv[((co * cin_g + ci) * c.k + ky) * c.k + kx];
              }
          ref[((n * c.cout + co) * oh + oy) * ow + ox] = acc;
        }
  EXPECT_LT(rel_l2(to_f32_vector(y), ref), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Shapes, Conv2dCpu,
                         ::testing::Values(ConvCase{2, 5, 9, 7, 6, 3, 1, 1, 1, true},    // im2col 3x3
                                           ConvCase{1, 8, 10, 10, 4, 3, 2, 1, 1, false}, // stride 2
                                           ConvCase{2, 6, 5, 6, 6, 1, 1, 0, 1, true},    // pointwise GEMM
                                           ConvCase{1, 12, 7, 7, 12, 5, 1, 2, 12, false},// depthwise 5x5
                                           ConvCase{1, 12, 6, 6, 12, 1, 1, 0, 3, false}, // grouped 1x1
                                           ConvCase{1, 16, 6, 5, 8, 3, 1, 1, 2, true}));// grouped im2col

TEST(OpsCpu, LinearAndMatmulMatchNaive) {
  const uint64_t seed = test::fresh_seed();
  Tensor x = ops::randn({3, 5, 7}, seed), w = ops::randn({4, 7}, seed + 1), b = ops::randn({4}, seed + 2);
  Tensor y = ops::linear(x, w, b);
  ASSERT_EQ(y.shape(), (Shape{3, 5, 4}));
  const auto xv = to_f32_vector(x), wv = to_f32_vector(w), bv = to_f32_vector(b);
  std::vector<double> ref(60);
  for (int r = 0; r < 15; ++r)
    for (int j = 0; j < 4; ++j) {
      double acc = bv[j];
      for (int k = 0; k < 7; ++k) acc += static_cast<double>(xv[r * 7 + k]) * wv[j * 7 + k];
      ref[r * 4 + j] = acc;
    }
  EXPECT_LT(rel_l2(to_f32_vector(y), ref), 1e-6);
  Tensor m = ops::matmul(x, w.transpose(0, 1));  // non-contiguous b
  for (int i = 0; i < 60; ++i) ref[i] -= bv[i % 4];
  EXPECT_LT(rel_l2(to_f32_vector(m), ref), 1e-6);
}

TEST(OpsCpu, LinearAttentionEqualsQuadraticForm) {
  const uint64_t seed = test::fresh_seed();
  const int64_t b = 2, h = 3, d = 8, n = 11;
  Tensor q = ops::randn({b, h, d, n}, seed), k = ops::randn({b, h, d, n}, seed + 1), v = ops::randn({b, h, d, n}, seed + 2);
  Tensor y = ops::relu_linear_attention(q, k, v, 1e-15f);
  const auto qv = to_f32_vector(q), kv = to_f32_vector(k), vv = to_f32_vector(v);
  std::vector<double> ref(y.numel());
  auto relu = [](float x) { return x > 0 ? static_cast<double>(x) : 0.0; };
  for (int64_t p = 0; p < b * h; ++p)
    for (int64_t qi = 0; qi < n; ++qi) {
      // scores[m] = relu(k_m)·relu(q_qi), normalized over keys (diffusers' quadratic path)
      std::vector<double> s(n);
      double total = 0;
      for (int64_t m = 0; m < n; ++m) {
        for (int64_t j = 0; j < d; ++j) s[m] += relu(kv[(p * d + j) * n + m]) * relu(qv[(p * d + j) * n + qi]);
        total += s[m];
      }
      for (int64_t i = 0; i < d; ++i) {
        double acc = 0;
        for (int64_t m = 0; m < n; ++m) acc += vv[(p * d + i) * n + m] * s[m] / (total + 1e-15);
        ref[(p * d + i) * n + qi] = acc;
      }
    }
  EXPECT_LT(rel_l2(to_f32_vector(y), ref), 1e-5);
}

TEST(OpsCpu, PixelShuffleOrderingAndInverse) {
  // out[0, 0, y, x] = in[0, (y%2)*2 + x%2, y/2, x/2]
  Tensor x = Tensor::from_vector({0, 1, 2, 3}, {1, 4, 1, 1});
  EXPECT_EQ(to_f32_vector(ops::pixel_shuffle(x, 2)), (std::vector<float>{0, 1, 2, 3}));
  Tensor r = ops::randn({2, 3, 6, 4}, test::fresh_seed());
  EXPECT_EQ(to_f32_vector(ops::pixel_shuffle(ops::pixel_unshuffle(r, 2), 2)), to_f32_vector(r));
  EXPECT_EQ(ops::pixel_unshuffle(r, 2).shape(), (Shape{2, 12, 3, 2}));
}

TEST(OpsCpu, ChannelShortcutsMatchDefinitions) {
  Tensor x = Tensor::from_vector({1, 2, 3, 4, 5, 6, 7, 8}, {1, 4, 1, 2});
  // unflatten(1, (-1, 2)).mean(2): channels (0,1) and (2,3) averaged
  EXPECT_EQ(to_f32_vector(ops::channel_group_mean(x, 2)), (std::vector<float>{2, 3, 6, 7}));
  Tensor y = Tensor::from_vector({1, 2, 3, 4}, {1, 2, 1, 2});
  EXPECT_EQ(to_f32_vector(ops::repeat_interleave_channels(y, 2)), (std::vector<float>{1, 2, 1, 2, 3, 4, 3, 4}));
  Tensor u = Tensor::from_vector({1, 2, 3, 4}, {1, 1, 2, 2});
  EXPECT_EQ(to_f32_vector(ops::upsample_nearest2d(u, 2)),
            (std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
}

TEST(OpsCpu, RmsNormChannelsEqualsLastDimNormOfMovedTensor) {
  const uint64_t seed = test::fresh_seed();
  Tensor x = ops::randn({2, 6, 3, 5}, seed), w = ops::randn({6}, seed + 1), b = ops::randn({6}, seed + 2);
  Tensor a = ops::rms_norm_channels(x, w, b, 1e-5f);
  Tensor moved = ops::rms_norm(x.permute({0, 2, 3, 1}), w, b, 1e-5f);  // [2, 3, 5, 6]
  EXPECT_LT(ops::relative_l2(a, moved.permute({0, 3, 1, 2})), 1e-6);
  // the formula itself on one pixel
  const auto xv = to_f32_vector(x), wv = to_f32_vector(w), bv = to_f32_vector(b), av = to_f32_vector(a);
  double ss = 0;
  for (int c = 0; c < 6; ++c) ss += xv[c * 15] * xv[c * 15];
  const double inv = 1.0 / std::sqrt(ss / 6 + 1e-5);
  for (int c = 0; c < 6; ++c) EXPECT_NEAR(av[c * 15], xv[c * 15] * inv * wv[c] + bv[c], 1e-5);
}

TEST(OpsCpu, BatchNormFoldsStatistics) {
  const uint64_t seed = test::fresh_seed();
  Tensor x = ops::randn({1, 3, 2, 2}, seed);
  Tensor mean = Tensor::from_vector({0.1f, -0.2f, 0.3f}, {3}), var = Tensor::from_vector({0.5f, 1.0f, 2.0f}, {3});
  Tensor w = Tensor::from_vector({1.5f, 0.5f, -1.0f}, {3}), b = Tensor::from_vector({0.0f, 1.0f, 2.0f}, {3});
  const auto y = to_f32_vector(ops::batch_norm_inference(x, mean, var, w, b, 1e-5f));
  const auto xv = to_f32_vector(x);
  const float mv[] = {0.1f, -0.2f, 0.3f}, vv[] = {0.5f, 1.0f, 2.0f}, wv[] = {1.5f, 0.5f, -1.0f}, bv[] = {0, 1, 2};
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 4; ++i)
      EXPECT_NEAR(y[c * 4 + i], (xv[c * 4 + i] - mv[c]) / std::sqrt(vv[c] + 1e-5) * wv[c] + bv[c], 1e-5);
}

TEST(OpsCpu, ActivationsMatchTorchFormulas) {
  Tensor x = Tensor::from_vector({-3.0f, -0.5f, 0.0f, 0.7f, 7.0f}, {5});
  auto at = [&](ops::Activation a) { return to_f32_vector(ops::activation(x, a)); };
  EXPECT_EQ(at(ops::Activation::kReLU), (std::vector<float>{0, 0, 0, 0.7f, 7}));
  EXPECT_EQ(at(ops::Activation::kReLU6), (std::vector<float>{0, 0, 0, 0.7f, 6}));
  EXPECT_NEAR(at(ops::Activation::kSiLU)[3], 0.7 / (1 + std::exp(-0.7)), 1e-6);
  EXPECT_NEAR(at(ops::Activation::kGELU)[1], 0.5 * -0.5 * (1 + std::erf(-0.5 / std::sqrt(2.0))), 1e-6);
  EXPECT_NEAR(at(ops::Activation::kGELUTanh)[3], 0.5 * 0.7 * (1 + std::tanh(0.7978845608 * (0.7 + 0.044715 * 0.343))), 1e-6);
  EXPECT_NEAR(at(ops::Activation::kQuickGELU)[3], 0.7 / (1 + std::exp(-1.702 * 0.7)), 1e-6);
}

TEST(OpsCpu, BroadcastBinaryAndBf16RoundsOnce) {
  Tensor a = ops::randn({2, 3, 4}, test::fresh_seed());
  Tensor b = Tensor::from_vector({1, 2, 3}, {3, 1});
  const auto s = to_f32_vector(ops::add(a, b)), av = to_f32_vector(a);
  for (int i = 0; i < 24; ++i) EXPECT_FLOAT_EQ(s[i], av[i] + 1 + (i / 4) % 3);
  Tensor ab = ops::cast(a, DType::kBF16);
  const auto m = to_f32_vector(ops::mul(ab, ops::cast(a, DType::kBF16)));
  const auto abv = to_f32_vector(ab);
  for (int i = 0; i < 24; ++i) EXPECT_EQ(m[i], bf16_to_f32(f32_to_bf16(abv[i] * abv[i])));
}

TEST(OpsCpu, ConcatAlongInnerDimOfBatchedTensor) {
  Tensor a = ops::randn({2, 3, 2}, 1), b = ops::randn({2, 1, 2}, 2);
  Tensor c = ops::concat({a, b}, 1);
  ASSERT_EQ(c.shape(), (Shape{2, 4, 2}));
  EXPECT_EQ(to_f32_vector(c.slice(1, 0, 3)), to_f32_vector(a));
  EXPECT_EQ(to_f32_vector(c.slice(1, 3, 4)), to_f32_vector(b));
}

TEST(Random, PhiloxIsDeterministicSliceableAndNormal) {
  Tensor a = ops::randn({1000, 37}, 42), b = ops::randn({1000, 37}, 42), c = ops::randn({1000, 37}, 43);
  EXPECT_EQ(to_f32_vector(a), to_f32_vector(b));
  EXPECT_NE(to_f32_vector(a), to_f32_vector(c));
  const auto v = to_f32_vector(a);
  double mean = 0, var = 0;
  for (float x : v) mean += x;
  mean /= v.size();
  for (float x : v) var += (x - mean) * (x - mean);
  var /= v.size();
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(var, 1.0, 0.03);
  const auto u = to_f32_vector(ops::rand({10000}, 7));
  for (float x : u) ASSERT_TRUE(x >= 0.0f && x < 1.0f);
  // Philox-4x32-10 known answer (Random123): counter 0, key 0 -> first word 0x6627e8d5.
  const auto known = to_f32_vector(ops::rand({4}, 0));
  EXPECT_EQ(known[0], static_cast<float>(0x6627e8d5u >> 8) * 0x1p-24f);
  EXPECT_EQ(known[3], static_cast<float>(0x9b00dbd8u >> 8) * 0x1p-24f);
}

}  // namespace
}  // namespace dc

namespace dc {
namespace {

TEST(OpsCpu, ConvResidualAndChannelsLastMatchThePlainConv) {
  const uint64_t seed = test::fresh_seed();
  Tensor x = ops::randn({2, 6, 7, 5}, seed), w = ops::randn({4, 6, 3, 3}, seed + 1), b = ops::randn({4}, seed + 2);
  Tensor r = ops::randn({2, 4, 7, 5}, seed + 3);
  const Tensor plain = ops::add(ops::conv2d(x, w, b, {.padding = 1}), r);
  const Tensor fused = ops::conv2d(x, w, b, {.padding = 1}, r);
  EXPECT_LT(ops::relative_l2(fused, plain), 1e-6);
  const Tensor xl = ops::to_channels_last(x);
  ASSERT_TRUE(xl.is_channels_last());
  ASSERT_FALSE(xl.is_contiguous());
  const Tensor yl = ops::conv2d(xl, w, b, {.padding = 1}, r);
  EXPECT_TRUE(yl.is_channels_last());
  EXPECT_LT(ops::relative_l2(yl, plain), 1e-6);
}

}  // namespace
}  // namespace dc
