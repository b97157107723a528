// CPU references of the transformer ops (attention, embedding, rope,
// rms_norm_rope, layer_norm_modulate, gated_residual) against naive f64
// re-statements of their formulas on fresh random inputs. In bf16 the
// re-statements emulate the reference's intermediate roundings, and results
// must agree bit for bit on ≥ 99% of elements (a missing or extra rounding
// flips about half of them; f32-vs-f64 straddling a rounding boundary flips
// ~2⁻¹⁶ of them).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "core/base/error.h"
#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/embedding.h"
#include "core/ops/modulation.h"
#include "core/ops/random.h"
#include "core/ops/rope.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using test::rel_l2;
using ops::to_f32_vector;

float round_to(DType dtype, double v) {
  const float f = static_cast<float>(v);
  if (dtype == DType::kBF16) return bf16_to_f32(f32_to_bf16(f));
  if (dtype == DType::kF16) return f16_to_f32(f32_to_f16(f));
  return f;
}

// Fraction of elements equal to the reference once the reference is rounded to `dtype`.
double fraction_equal(const std::vector<float>& got, const std::vector<double>& ref, DType dtype) {
  size_t same = 0;
  for (size_t i = 0; i < got.size(); ++i) same += got[i] == round_to(dtype, ref[i]);
  return static_cast<double>(same) / static_cast<double>(got.size());
}

// Element (indices) of a contiguous row-major f32 copy.
struct Dense {
  std::vector<float> v;
  Shape shape;
  explicit Dense(const Tensor& t) : v(to_f32_vector(t)), shape(t.shape()) {}
  double at(std::initializer_list<int64_t> idx) const {
    int64_t flat = 0, d = 0;
    for (int64_t i : idx) flat = flat * shape[d++] + i;
    return v[flat];
  }
};

// ---- attention ----

// out[b, i, h, :] by the textbook formula in f64; -inf scores and masked keys drop out,
// a row with nothing left is zero.
std::vector<double> naive_attention(const Tensor& q, const Tensor& k, const Tensor& v, double scale, bool causal,
                                    const Tensor& bias_full, const Tensor& key_mask) {
  const Dense qd(q), kd(k), vd(v);
  const int64_t batch = q.size(0), lq = q.size(1), heads = q.size(2), dim = q.size(3), lk = k.size(1);
  std::unique_ptr<Dense> bd = bias_full.defined() ? std::make_unique<Dense>(bias_full) : nullptr;
  std::unique_ptr<Dense> md = key_mask.defined() ? std::make_unique<Dense>(key_mask) : nullptr;
  std::vector<double> out(static_cast<size_t>(batch * lq * heads * dim), 0.0);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t i = 0; i < lq; ++i)
      for (int64_t h = 0; h < heads; ++h) {
        std::vector<double> s(static_cast<size_t>(lk), -std::numeric_limits<double>::infinity());
        double mx = -std::numeric_limits<double>::infinity();
        for (int64_t j = 0; j < lk; ++j) {
          if ((causal && j > i) || (md && md->at({b, j}) == 0)) continue;
          double dot = 0;
          for (int64_t e = 0; e < dim; ++e) dot += qd.at({b, i, h, e}) * kd.at({b, j, h, e});
          s[j] = dot * scale + (bd ? bd->at({b, h, i, j}) : 0.0);
          mx = std::max(mx, s[j]);
        }
        if (std::isinf(mx)) continue;
        double sum = 0;
        for (int64_t j = 0; j < lk; ++j) sum += std::isinf(s[j]) ? 0.0 : std::exp(s[j] - mx);
        for (int64_t e = 0; e < dim; ++e) {
          double acc = 0;
          for (int64_t j = 0; j < lk; ++j)
            if (!std::isinf(s[j])) acc += std::exp(s[j] - mx) / sum * vd.at({b, j, h, e});
          out[((b * lq + i) * heads + h) * dim + e] = acc;
        }
      }
  return out;
}

// q, k, v as slices of one fused projection [B, L, 3, H, D] (strided views).
struct Qkv {
  Tensor q, k, v;
};

Qkv fused_qkv(int64_t b, int64_t l, int64_t h, int64_t d, uint64_t seed, DType dtype = DType::kF32) {
  const Tensor qkv = ops::cast(ops::randn({b, l, 3, h, d}, seed), dtype);
  test::expect_non_constant(qkv);
  return {qkv.select(2, 0), qkv.select(2, 1), qkv.select(2, 2)};
}

TEST(AttentionCpu, StridedSelfAttentionMatchesFormula) {
  const Qkv t = fused_qkv(2, 9, 3, 16, test::fresh_seed());
  ASSERT_FALSE(t.q.is_contiguous());
  const Tensor out = ops::attention(t.q, t.k, t.v);
  ASSERT_EQ(out.shape(), (Shape{2, 9, 3, 16}));
  const auto ref = naive_attention(t.q, t.k, t.v, 1.0 / std::sqrt(16.0), false, Tensor(), Tensor());
  EXPECT_LE(rel_l2(to_f32_vector(out), ref), 1e-6);
}

TEST(AttentionCpu, CrossAttentionWithScaleOne) {
  const uint64_t seed = test::fresh_seed();
  const Tensor q = ops::randn({1, 5, 2, 8}, seed), k = ops::randn({1, 11, 2, 8}, seed + 1);
  const Tensor v = ops::randn({1, 11, 2, 8}, seed + 2);
  const Tensor out = ops::attention(q, k, v, {.scale = 1.0f});
  EXPECT_LE(rel_l2(to_f32_vector(out), naive_attention(q, k, v, 1.0, false, Tensor(), Tensor())), 1e-6);
}

TEST(AttentionCpu, CausalMatchesFormula) {
  const Qkv t = fused_qkv(1, 12, 2, 32, test::fresh_seed());
  const Tensor out = ops::attention(t.q, t.k, t.v, {.causal = true});
  const auto ref = naive_attention(t.q, t.k, t.v, 1.0 / std::sqrt(32.0), true, Tensor(), Tensor());
  EXPECT_LE(rel_l2(to_f32_vector(out), ref), 1e-6);
  // Row 0 attends to key 0 only: its output is v[0].
  const Dense od(out), vd(t.v);
  for (int64_t e = 0; e < 32; ++e) EXPECT_NEAR(od.at({0, 0, 1, e}), vd.at({0, 0, 1, e}), 1e-6);
}

TEST(AttentionCpu, BroadcastBiasAndKeyMask) {
  const uint64_t seed = test::fresh_seed();
  const Qkv t = fused_qkv(2, 7, 3, 8, seed);
  const Tensor bias = ops::randn({1, 3, 7, 7}, seed + 7);  // T5-style, shared over the batch
  const Tensor mask = Tensor::from_vector_i64({1, 1, 1, 0, 1, 0, 0, /**/ 1, 0, 1, 1, 1, 1, 1}, {2, 7});
  const Tensor out = ops::attention(t.q, t.k, t.v, {.scale = 1.0f, .bias = bias, .key_mask = mask});
  const Tensor bias_full = ops::contiguous(bias.expand({2, 3, 7, 7}));
  const auto ref = naive_attention(t.q, t.k, t.v, 1.0, false, bias_full, mask);
  EXPECT_LE(rel_l2(to_f32_vector(out), ref), 1e-6);
  // The same mask as u8 and bool gives the same result; a [1, Lk] mask broadcasts over the batch.
  for (DType mask_dtype : {DType::kU8, DType::kBool}) {
    const Tensor same = ops::attention(t.q, t.k, t.v, {.scale = 1.0f, .bias = bias, .key_mask = ops::cast(mask, mask_dtype)});
    EXPECT_EQ(ops::max_abs_diff(same, out), 0.0);
  }
  const Tensor row1 = ops::contiguous(mask.slice(0, 1, 2));
  const Tensor shared = ops::attention(t.q, t.k, t.v, {.key_mask = row1});
  const auto ref_shared = naive_attention(t.q, t.k, t.v, 1.0 / std::sqrt(8.0), false, Tensor(),
                                          ops::contiguous(row1.expand({2, 7})));
  EXPECT_LE(rel_l2(to_f32_vector(shared), ref_shared), 1e-6);

  // A lower-rank bias [Lk] broadcasts over batch, heads and queries.
  const Tensor key_bias = ops::randn({7}, seed + 8);
  const Tensor out2 = ops::attention(t.q, t.k, t.v, {.bias = key_bias});
  const auto ref2 = naive_attention(t.q, t.k, t.v, 1.0 / std::sqrt(8.0), false,
                                    ops::contiguous(key_bias.expand({2, 3, 7, 7})), Tensor());
  EXPECT_LE(rel_l2(to_f32_vector(out2), ref2), 1e-6);
}

TEST(AttentionCpu, FullyMaskedRowsAreZero) {
  const uint64_t seed = test::fresh_seed();
  const Qkv t = fused_qkv(2, 6, 2, 8, seed);
  // Batch 0: every key is padding. Batch 1: key 0 is padding, so causal row 0 has no key.
  const Tensor mask = Tensor::from_vector_i64({0, 0, 0, 0, 0, 0, /**/ 0, 1, 1, 1, 1, 1}, {2, 6});
  const Tensor out = ops::attention(t.q, t.k, t.v, {.causal = true, .key_mask = ops::cast(mask, DType::kBool)});
  const auto ref = naive_attention(t.q, t.k, t.v, 1.0 / std::sqrt(8.0), true, Tensor(), mask);
  const auto got = to_f32_vector(out);
  EXPECT_LE(rel_l2(got, ref), 1e-6);
  const Dense od(out);
  for (int64_t i = 0; i < 6; ++i)
    for (int64_t e = 0; e < 8; ++e) EXPECT_EQ(od.at({0, i, 1, e}), 0.0);
  for (int64_t e = 0; e < 8; ++e) EXPECT_EQ(od.at({1, 0, 0, e}), 0.0);

  // A row whose bias is -inf everywhere is also fully masked.
  std::vector<float> b(2 * 6 * 6, 0.0f);
  for (int64_t j = 0; j < 6; ++j) b[2 * 6 + j] = -std::numeric_limits<float>::infinity();  // head 0, query 2
  const Tensor bias = Tensor::from_vector(b, {1, 2, 6, 6});
  const Tensor out2 = ops::attention(t.q, t.k, t.v, {.bias = bias});
  const Dense o2(out2);
  for (int64_t e = 0; e < 8; ++e) EXPECT_EQ(o2.at({1, 2, 0, e}), 0.0);
  EXPECT_TRUE(ops::all_finite(out2));
}

TEST(AttentionCpu, Bf16RoundsOnlyTheOutput) {
  const Qkv t = fused_qkv(1, 10, 2, 64, test::fresh_seed(), DType::kBF16);
  const Tensor out = ops::attention(t.q, t.k, t.v, {.causal = true});
  ASSERT_EQ(out.dtype(), DType::kBF16);
  const auto ref = naive_attention(t.q, t.k, t.v, 1.0 / 8.0, true, Tensor(), Tensor());
  EXPECT_GE(fraction_equal(to_f32_vector(out), ref, DType::kBF16), 0.99);
}

TEST(AttentionCpu, RejectsBadArguments) {
  const Qkv t = fused_qkv(1, 4, 2, 8, test::fresh_seed());
  const Tensor k5 = ops::randn({1, 5, 2, 8}, 3);
  EXPECT_THROW(ops::attention(t.q, k5, k5, {.causal = true}), ErrorException);                // Lq != Lk
  EXPECT_THROW(ops::attention(t.q, ops::randn({1, 4, 1, 8}, 1), t.v), ErrorException);        // GQA
  EXPECT_THROW(ops::attention(t.q, t.k, t.v, {.bias = ops::randn({3, 4}, 2)}), ErrorException);  // bad bias
  EXPECT_THROW(ops::attention(t.q, t.k, t.v, {.key_mask = ops::randn({1, 4}, 2)}), ErrorException);  // float mask
}

// ---- embedding ----

TEST(EmbeddingCpu, GathersRowsForI32AndI64Ids) {
  for (DType dtype : {DType::kF32, DType::kBF16}) {
    const Tensor table = ops::cast(ops::randn({10, 6}, test::fresh_seed()), dtype);
    const std::vector<int64_t> ids = {3, 0, 9, 3, 7, 1};
    const Tensor id64 = Tensor::from_vector_i64(ids, {2, 3});
    for (const Tensor& id : {id64, ops::cast(id64, DType::kI32)}) {
      const Tensor out = ops::embedding(table, id);
      ASSERT_EQ(out.shape(), (Shape{2, 3, 6}));
      ASSERT_EQ(out.dtype(), dtype);
      const Dense od(out), td(table);
      for (int64_t n = 0; n < 6; ++n)
        for (int64_t e = 0; e < 6; ++e) EXPECT_EQ(od.at({n / 3, n % 3, e}), td.at({ids[n], e}));
    }
  }
  const Tensor table = ops::randn({4, 3}, 1);
  EXPECT_THROW(ops::embedding(table, Tensor::from_vector_i64({1, 4}, {2})), ErrorException);
  EXPECT_THROW(ops::embedding(table, Tensor::from_vector_i64({-1}, {1})), ErrorException);
}

// ---- rope and rms_norm_rope ----

// f64 restatement; rounding to x's dtype after the norm and after the weight.
std::vector<double> naive_norm_rope(const Tensor& x, const Tensor& weight, double eps, const Tensor& cos,
                                    const Tensor& sin) {
  const Dense xd(x);
  const DType dt = x.dtype();
  std::unique_ptr<Dense> wd = weight.defined() ? std::make_unique<Dense>(weight) : nullptr;
  std::unique_ptr<Dense> cd = cos.defined() ? std::make_unique<Dense>(cos) : nullptr;
  std::unique_ptr<Dense> sd = sin.defined() ? std::make_unique<Dense>(sin) : nullptr;
  const int64_t B = x.size(0), L = x.size(1), H = x.size(2), D = x.size(3);
  std::vector<double> out(static_cast<size_t>(B * L * H * D));
  std::vector<double> y(static_cast<size_t>(D));
  for (int64_t b = 0; b < B; ++b)
    for (int64_t l = 0; l < L; ++l)
      for (int64_t h = 0; h < H; ++h) {
        double ms = 0;
        for (int64_t e = 0; e < D; ++e) ms += xd.at({b, l, h, e}) * xd.at({b, l, h, e}) / D;
        for (int64_t e = 0; e < D; ++e) {
          y[e] = xd.at({b, l, h, e});
          if (wd) y[e] = round_to(dt, round_to(dt, y[e] / std::sqrt(ms + eps)) * wd->at({e}));
        }
        double* o = out.data() + ((b * L + l) * H + h) * D;
        for (int64_t e = 0; e < D; e += 2) {
          if (!cd) {
            o[e] = y[e];
            o[e + 1] = y[e + 1];
            continue;
          }
          o[e] = y[e] * cd->at({l, e}) - y[e + 1] * sd->at({l, e});
          o[e + 1] = y[e + 1] * cd->at({l, e + 1}) + y[e] * sd->at({l, e + 1});
        }
      }
  return out;
}

// diffusers' FLUX tables: angle θ_i·pos, each value repeated for the pair.
void rope_tables(int64_t L, int64_t D, Tensor* cos, Tensor* sin) {
  std::vector<float> c(static_cast<size_t>(L * D)), s(c.size());
  for (int64_t l = 0; l < L; ++l)
    for (int64_t i = 0; i < D / 2; ++i) {
      const double angle = (l + 0.5) * std::pow(10000.0, -2.0 * i / D);
      c[l * D + 2 * i] = c[l * D + 2 * i + 1] = static_cast<float>(std::cos(angle));
      s[l * D + 2 * i] = s[l * D + 2 * i + 1] = static_cast<float>(std::sin(angle));
    }
  *cos = Tensor::from_vector(c, {L, D});
  *sin = Tensor::from_vector(s, {L, D});
}

TEST(RopeCpu, StridedRopeMatchesFormula) {
  const Qkv t = fused_qkv(2, 6, 3, 16, test::fresh_seed());
  Tensor cos, sin;
  rope_tables(6, 16, &cos, &sin);
  const Tensor out = ops::rope(t.k, cos, sin);
  ASSERT_TRUE(out.is_contiguous());
  EXPECT_LE(rel_l2(to_f32_vector(out), naive_norm_rope(t.k, Tensor(), 0, cos, sin)), 1e-6);
}

TEST(RopeCpu, RmsNormRopeMatchesFormula) {
  const uint64_t seed = test::fresh_seed();
  const Qkv t = fused_qkv(1, 5, 4, 32, seed);
  const Tensor w = ops::randn({32}, seed + 5);
  Tensor cos, sin;
  rope_tables(5, 32, &cos, &sin);
  const Tensor with_rope = ops::rms_norm_rope(t.q, w, 1e-6f, cos, sin);
  EXPECT_LE(rel_l2(to_f32_vector(with_rope), naive_norm_rope(t.q, w, 1e-6, cos, sin)), 1e-6);
  const Tensor norm_only = ops::rms_norm_rope(t.q, w, 1e-6f, Tensor(), Tensor());
  EXPECT_LE(rel_l2(to_f32_vector(norm_only), naive_norm_rope(t.q, w, 1e-6, Tensor(), Tensor())), 1e-6);
}

TEST(RopeCpu, Bf16RoundsLikeDiffusers) {
  const uint64_t seed = test::fresh_seed();
  const Qkv t = fused_qkv(2, 8, 3, 64, seed, DType::kBF16);
  const Tensor w = ops::cast(ops::randn({64}, seed + 5), DType::kBF16);
  Tensor cos, sin;
  rope_tables(8, 64, &cos, &sin);
  const Tensor out = ops::rms_norm_rope(t.v, w, 1e-6f, cos, sin);
  ASSERT_EQ(out.dtype(), DType::kBF16);
  EXPECT_GE(fraction_equal(to_f32_vector(out), naive_norm_rope(t.v, w, 1e-6, cos, sin), DType::kBF16), 0.99);
}

TEST(RopeCpu, RejectsBadArguments) {
  const Tensor x = ops::randn({1, 3, 2, 5}, 1);
  Tensor cos, sin;
  rope_tables(3, 5, &cos, &sin);
  EXPECT_THROW(ops::rope(x, cos, sin), ErrorException);  // odd head dim
  rope_tables(4, 6, &cos, &sin);
  EXPECT_THROW(ops::rope(ops::randn({1, 3, 2, 6}, 1), cos, sin), ErrorException);  // L mismatch
}

// ---- layer_norm_modulate and gated_residual ----

std::vector<double> naive_layer_norm_modulate(const Tensor& x, const Tensor& scale, const Tensor& shift, double eps) {
  const Dense xd(x), sc(ops::contiguous(scale)), sh(ops::contiguous(shift));
  const int64_t B = x.size(0), L = x.size(1), C = x.size(2);
  std::vector<double> out(static_cast<size_t>(B * L * C));
  for (int64_t b = 0; b < B; ++b)
    for (int64_t l = 0; l < L; ++l) {
      double mean = 0, var = 0;
      for (int64_t c = 0; c < C; ++c) mean += xd.at({b, l, c}) / C;
      for (int64_t c = 0; c < C; ++c) var += (xd.at({b, l, c}) - mean) * (xd.at({b, l, c}) - mean) / C;
      for (int64_t c = 0; c < C; ++c) {
        const double n = round_to(x.dtype(), (xd.at({b, l, c}) - mean) / std::sqrt(var + eps));
        out[(b * L + l) * C + c] = n * (1 + sc.at({b, c})) + sh.at({b, c});
      }
    }
  return out;
}

TEST(ModulationCpu, LayerNormModulateMatchesFormula) {
  for (DType dtype : {DType::kF32, DType::kBF16}) {
    const uint64_t seed = test::fresh_seed();
    const int64_t B = 2, L = 5, C = 40;
    const Tensor x = ops::cast(ops::add(ops::scale(ops::randn({B, L, C}, seed), 3.0f),
                                        ops::full({1}, 0.5f, DType::kF32)), dtype);
    // scale and shift as chunks of one modulation vector [B, 2C] (row stride 2C).
    const Tensor mod = ops::cast(ops::randn({B, 2 * C}, seed + 1), dtype);
    const auto parts = mod.chunk(2, 1);
    const Tensor out = ops::layer_norm_modulate(x, parts[1], parts[0], 1e-6f);
    const auto ref = naive_layer_norm_modulate(x, parts[1], parts[0], 1e-6);
    if (dtype == DType::kF32) {
      EXPECT_LE(rel_l2(to_f32_vector(out), ref), 1e-6);
    } else {
      EXPECT_GE(fraction_equal(to_f32_vector(out), ref, dtype), 0.99);
    }
  }
}

TEST(ModulationCpu, GatedResidualMatchesFormula) {
  for (DType dtype : {DType::kF32, DType::kBF16}) {
    const uint64_t seed = test::fresh_seed();
    const int64_t B = 2, L = 4, C = 24;
    const Tensor x = ops::cast(ops::randn({B, L, C}, seed), dtype);
    const Tensor y_t = ops::cast(ops::randn({B, C, L}, seed + 1), dtype);
    const Tensor y = y_t.transpose(1, 2);  // strided along C: the front-end makes it contiguous
    const Tensor gate = ops::cast(ops::randn({B, 3 * C}, seed + 2), dtype).slice(1, C, 2 * C);
    const Tensor out = ops::gated_residual(x, gate, y);
    const Dense xd(x), yd(ops::contiguous(y)), gd(ops::contiguous(gate));
    std::vector<double> ref(static_cast<size_t>(B * L * C));
    for (int64_t b = 0; b < B; ++b)
      for (int64_t l = 0; l < L; ++l)
        for (int64_t c = 0; c < C; ++c)
          ref[(b * L + l) * C + c] = xd.at({b, l, c}) + gd.at({b, c}) * yd.at({b, l, c});
    if (dtype == DType::kF32) {
      EXPECT_LE(rel_l2(to_f32_vector(out), ref), 1e-7);
    } else {
      EXPECT_GE(fraction_equal(to_f32_vector(out), ref, dtype), 0.99);
    }
  }
  // A [1, C] gate broadcasts over the batch.
  const Tensor x = ops::randn({3, 2, 8}, 5), y = ops::randn({3, 2, 8}, 6), g = ops::randn({1, 8}, 7);
  const Tensor out = ops::gated_residual(x, g, y);
  const Dense od(out), xd(x), yd(y), gd(g);
  EXPECT_NEAR(od.at({2, 1, 5}), xd.at({2, 1, 5}) + gd.at({0, 5}) * yd.at({2, 1, 5}), 1e-6);
  EXPECT_THROW(ops::gated_residual(x, ops::randn({3, 7}, 1), y), ErrorException);
}

}  // namespace
}  // namespace dc
