// CPU references of the ops behind FLUX's fused paths (fused_linear.h,
// transformer_inplace.h, timestep.h). The slice-writing and in-place ops must
// give exactly the numbers of their out-of-place twins (same reference
// arithmetic) in the slice they own and leave every other element untouched;
// timestep_embedding is checked against diffusers' formula in f64.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/fused_linear.h"
#include "core/ops/gemm.h"
#include "core/ops/modulation.h"
#include "core/ops/random.h"
#include "core/ops/rope.h"
#include "core/ops/timestep.h"
#include "core/ops/transformer_inplace.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using test::rel_l2;

const DType kDtypes[] = {DType::kF32, DType::kBF16};

Tensor randn_as(const Shape& shape, uint64_t seed, DType dtype) { return ops::cast(ops::randn(shape, seed), dtype); }

// Elements of `after` outside rows/cols [r0, r1) x [c0, c1) of the last two dims equal `before`'s.
void expect_outside_unchanged(const Tensor& before, const Tensor& after, int64_t r0, int64_t r1, int64_t c0,
                              int64_t c1) {
  const std::vector<float> a = ops::to_f32_vector(before), b = ops::to_f32_vector(after);
  const int64_t cols = before.size(-1), rows = before.size(-2);
  int64_t changed = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const int64_t c = static_cast<int64_t>(i) % cols, r = (static_cast<int64_t>(i) / cols) % rows;
    const bool inside = r >= r0 && r < r1 && c >= c0 && c < c1;
    if (!inside && a[i] != b[i]) ++changed;
  }
  EXPECT_EQ(changed, 0) << "elements outside the written slice changed";
}

TEST(LinearInto, WritesTheRowsOfAJointBufferLikeLinear) {
  const uint64_t seed = test::fresh_seed();
  for (DType dt : kDtypes) {
    SCOPED_TRACE(dtype_name(dt));
    const int64_t b = 2, t = 3, l = 5, k = 8, n = 12;
    const Tensor txt = randn_as({b, t, k}, seed, dt), img = randn_as({b, l, k}, seed + 1, dt);
    const Tensor wt = randn_as({n, k}, seed + 2, dt), bt = randn_as({n}, seed + 3, dt);
    const Tensor wi = randn_as({n, k}, seed + 4, dt);
    test::expect_non_constant(txt);
    const Tensor joint = ops::full({b, t + l, n}, 7.0f, dt);
    ops::linear_into(joint.slice(1, 0, t), txt, wt, bt);  // [B, T] rows of a [B, T+L] buffer: split per sample
    ops::linear_into(joint.slice(1, t, t + l), img, wi);  // no bias
    // One GEMM per sample (BLAS may round differently for another row count, so compare per sample).
    for (int64_t i = 0; i < b; ++i) {
      EXPECT_EQ(ops::max_abs_diff(joint.select(0, i).slice(0, 0, t), ops::linear(txt.select(0, i), wt, bt)), 0.0);
      EXPECT_EQ(ops::max_abs_diff(joint.select(0, i).slice(0, t, t + l), ops::linear(img.select(0, i), wi)), 0.0);
    }
  }
}

TEST(LinearInto, ReadsAndWritesColumnSlicesInPlace) {
  const uint64_t seed = test::fresh_seed();
  for (DType dt : kDtypes) {
    SCOPED_TRACE(dtype_name(dt));
    const int64_t b = 2, rows = 5, k = 6, n = 4;
    const Tensor wide = randn_as({b, rows, 3 * k}, seed, dt);
    const Tensor x = wide.slice(2, k, 2 * k);  // [B, R, K] at row stride 3K
    const Tensor w = randn_as({n, k}, seed + 1, dt), bias = randn_as({n}, seed + 2, dt);
    const Tensor out_buf = randn_as({b, rows, 3 * n}, seed + 3, dt);
    const Tensor before = ops::clone(out_buf);
    ops::linear_into(out_buf.slice(2, n, 2 * n), x, w, bias);
    EXPECT_EQ(ops::max_abs_diff(out_buf.slice(2, n, 2 * n), ops::linear(ops::contiguous(x), w, bias)), 0.0);
    expect_outside_unchanged(before, out_buf, 0, rows, n, 2 * n);
    // x whose rows are not at one stride (token rows of each sample) is read through a copy.
    const Tensor y = Tensor::empty({b, 3, n}, dt);
    ops::linear_into(y, wide.slice(1, 1, 4).slice(2, 0, k), w, bias);
    EXPECT_EQ(ops::max_abs_diff(y, ops::linear(ops::contiguous(wide.slice(1, 1, 4).slice(2, 0, k)), w, bias)), 0.0);
  }
}

TEST(RmsNormRopeInPlace, QAndKHeadsOfAQkvBufferMatchTheOutOfPlaceOp) {
  const uint64_t seed = test::fresh_seed();
  for (DType dt : kDtypes) {
    SCOPED_TRACE(dtype_name(dt));
    const int64_t b = 2, l = 7, h = 3, d = 8, c = h * d;
    const Tensor qkv = randn_as({b, l, 3 * c}, seed, dt);
    const Tensor wq = ops::cast(ops::add(ops::scale(ops::randn({d}, seed + 1), 0.2f), ops::full({1}, 1.0f, DType::kF32)), dt);
    const Tensor wk = ops::cast(ops::add(ops::scale(ops::randn({d}, seed + 2), 0.2f), ops::full({1}, 1.0f, DType::kF32)), dt);
    const Tensor cos = ops::randn({l, d}, seed + 3), sin = ops::randn({l, d}, seed + 4);
    auto heads = [&](int64_t i) { return qkv.slice(2, i * c, (i + 1) * c).unflatten(2, {h, d}); };
    const Tensor want_q = ops::rms_norm_rope(heads(0), wq, 1e-6f, cos, sin);
    const Tensor want_k = ops::rms_norm_rope(heads(1), wk, 1e-6f, cos, sin);
    const Tensor before = ops::clone(qkv);
    const Tensor qk_norm = ops::concat({wq.unsqueeze(0), wk.unsqueeze(0)}, 0);  // [2, D]
    ops::rms_norm_rope_(qkv.slice(2, 0, 2 * c).unflatten(2, {2 * h, d}), qk_norm, 1e-6f, cos, sin);
    EXPECT_EQ(ops::max_abs_diff(heads(0), want_q), 0.0);
    EXPECT_EQ(ops::max_abs_diff(heads(1), want_k), 0.0);
    EXPECT_GT(ops::max_abs_diff(heads(0), before.slice(2, 0, c).unflatten(2, {h, d})), 0.0);
    expect_outside_unchanged(before, qkv, 0, l, 0, 2 * c);  // v untouched
    // One weight row for all heads, no RoPE: the plain per-head RMSNorm.
    const Tensor v = qkv.slice(2, 2 * c, 3 * c).unflatten(2, {h, d});
    const Tensor want_v = ops::rms_norm_rope(v, wq, 1e-6f, Tensor(), Tensor());
    ops::rms_norm_rope_(v, wq, 1e-6f, Tensor(), Tensor());
    EXPECT_EQ(ops::max_abs_diff(v, want_v), 0.0);
  }
}

TEST(ActivationInPlace, MlpColumnsMatchTheOutOfPlaceOp) {
  const uint64_t seed = test::fresh_seed();
  for (DType dt : kDtypes) {
    SCOPED_TRACE(dtype_name(dt));
    const Tensor y = randn_as({2, 5, 11}, seed, dt);
    const Tensor before = ops::clone(y);
    const Tensor want = ops::activation(y.slice(2, 3, 11), ops::Activation::kGELUTanh);
    ops::activation_(y.slice(2, 3, 11), ops::Activation::kGELUTanh);
    EXPECT_EQ(ops::max_abs_diff(y.slice(2, 3, 11), want), 0.0);
    expect_outside_unchanged(before, y, 0, 5, 3, 11);
    // Rows not at one stride (tokens 1..3 of each sample, then columns): split per sample.
    const Tensor z = y.slice(1, 1, 4).slice(2, 0, 3);
    const Tensor want_z = ops::activation(z, ops::Activation::kSiLU);
    ops::activation_(z, ops::Activation::kSiLU);
    EXPECT_EQ(ops::max_abs_diff(z, want_z), 0.0);
  }
}

TEST(GatedResidualInPlace, TextRowsOfAJointBufferMatchTheOutOfPlaceOp) {
  const uint64_t seed = test::fresh_seed();
  for (DType dt : kDtypes) {
    SCOPED_TRACE(dtype_name(dt));
    const int64_t b = 2, t = 3, l = 4, c = 16;
    const Tensor joint = randn_as({b, t + l, c}, seed, dt);
    const Tensor mod = randn_as({b, 3 * c}, seed + 1, dt);
    const Tensor gate = mod.slice(1, c, 2 * c);  // [B, C] at row stride 3C
    const Tensor y = randn_as({b, t, c}, seed + 2, dt);
    const Tensor before = ops::clone(joint);
    const Tensor want = ops::gated_residual(joint.slice(1, 0, t), gate, y);
    ops::gated_residual_(joint.slice(1, 0, t), gate, y);  // samples contiguous, the slice is not
    EXPECT_EQ(ops::max_abs_diff(joint.slice(1, 0, t), want), 0.0);
    expect_outside_unchanged(before, joint, 0, t, 0, c);
    const Tensor x = randn_as({b, l, c}, seed + 3, dt), yl = randn_as({b, l, c}, seed + 4, dt);
    const Tensor want_x = ops::gated_residual(x, gate, yl);
    ops::gated_residual_(x, gate, yl);  // contiguous: one call
    EXPECT_EQ(ops::max_abs_diff(x, want_x), 0.0);
  }
}

// diffusers get_timestep_embedding(flip_sin_to_cos=True, shift 0) on t, in f64.
std::vector<double> reference_features(double t, int64_t channels) {
  const int64_t half = channels / 2;
  std::vector<double> out(static_cast<size_t>(channels), 0.0);
  for (int64_t i = 0; i < half; ++i) {
    const double arg = t * std::exp(-std::log(10000.0) * static_cast<double>(i) / static_cast<double>(half));
    out[i] = std::cos(arg);
    out[half + i] = std::sin(arg);
  }
  return out;
}

TEST(TimestepEmbedding, MatchesDiffusersFormulaWithTheScaleRoundedInTheDtype) {
  const Tensor sigma = Tensor::from_vector({0.73f, 0.25f}, {2});
  // f32: t = sigma · 1000 exactly as f32 computes it. The f32 angle t · freq carries
  // a relative error ~6e-8, i.e. up to ~6e-5 rad at t = 730, so the bound is 1e-4.
  const std::vector<float> f32 = ops::to_f32_vector(ops::timestep_embedding(sigma, 2, 256, 1000.0f, DType::kF32));
  for (int64_t r = 0; r < 2; ++r) {
    const std::vector<float> row(f32.begin() + r * 256, f32.begin() + (r + 1) * 256);
    const double t = static_cast<double>(r == 0 ? 0.73f : 0.25f) * 1000.0;
    EXPECT_LE(rel_l2(row, reference_features(t, 256)), 1e-4) << "row " << r;
  }
  // bf16: 0.73 -> 0.73046875 -> x1000 = 730.47 -> 732 (bf16 spacing 4 in [512, 1024)),
  // as diffusers' `timestep.to(bf16) * 1000`; the features are then rounded to bf16.
  const Tensor bf16 = ops::timestep_embedding(sigma.slice(0, 0, 1), 3, 256, 1000.0f, DType::kBF16);
  EXPECT_EQ(bf16.dtype(), DType::kBF16);
  const std::vector<float> v = ops::to_f32_vector(bf16);
  const std::vector<float> row0(v.begin(), v.begin() + 256);
  EXPECT_LE(rel_l2(row0, reference_features(732.0, 256)), 1e-2);
  EXPECT_GT(rel_l2(row0, reference_features(730.0, 256)), 1e-1);  // the rounding of t matters
  for (int64_t r = 1; r < 3; ++r)  // [1] broadcast to every row
    EXPECT_TRUE(std::equal(row0.begin(), row0.end(), v.begin() + r * 256)) << "row " << r;
  // Odd channel counts end with diffusers' zero pad column.
  const std::vector<float> odd = ops::to_f32_vector(ops::timestep_embedding(sigma, 2, 7, 1000.0f, DType::kF32));
  EXPECT_EQ(odd[6], 0.0f);
  EXPECT_EQ(odd[13], 0.0f);
  EXPECT_NE(odd[0], 0.0f);
}

}  // namespace
}  // namespace dc
