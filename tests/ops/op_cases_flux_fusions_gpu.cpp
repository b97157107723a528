// Registry cases for the ops behind FLUX's fused paths: linear_into on slices
// (backend linear_rows), the in-place RMSNorm + RoPE of q/k heads in a qkv
// buffer (rms_norm_rope_inplace), the in-place activation on MLP columns
// (activation_inplace), the gated residual added in place into rows of a joint
// buffer (gated_residual with out aliasing x), and the device timestep features
// (timestep_embedding). Each case returns the whole buffer it wrote into, so
// elements outside the slice are compared too (they must stay as drawn).
// Tolerances follow op_case.h: linear_rows is a GEMM (f32 1e-4), the row ops
// norms/pointwise (f32 1e-5). timestep_embedding: f32 1e-3, because its angles
// t·freq reach 1000 rad, and CUDA's expf/cosf/sinf (≤ 2 ulp, vs glibc's correctly
// rounded ones) move an angle of 1000 by up to ~2.4e-4 rad; the features are
// unit-size, so rel-L2 stays ≤ ~2e-4 (half the columns are sines and cosines
// of small angles that agree to ~1e-7).
#include <utility>

#include "core/ops/copy.h"
#include "core/ops/fused_linear.h"
#include "core/ops/timestep.h"
#include "core/ops/transformer_inplace.h"
#include "tests/ops/op_case.h"

namespace dc::test {
namespace {

constexpr DType kF32 = DType::kF32;

void add_linear_rows_cases(std::vector<OpCase>& cases) {
  // The double block's text and image QKV GEMMs writing rows of one joint [B, T+L, 3C] buffer.
  cases.push_back(reduction_case("linear_rows", "rows of a joint buffer, B=2 (one GEMM per sample)",
                                 {{{2, 5, 64}}, {{2, 11, 64}}, {{192, 64}, 0.125f}, {{192}}, {{192, 64}, 0.125f}},
                                 [](const Inputs& in, const OpContext& ctx) {
                                   const Tensor joint = ops::zeros({2, 16, 192}, in[0].dtype(), ctx.device);
                                   ops::linear_into(joint.slice(1, 0, 5), in[0], in[2], in[3]);
                                   ops::linear_into(joint.slice(1, 5, 16), in[1], in[4], in[3]);
                                   return joint;
                                 }));
  // The single block's proj_out reading [attn, mlp] columns of [B, N, 7C] at row stride 7C.
  cases.push_back(reduction_case("linear_rows", "x a column slice at row stride 7C, B=1",
                                 {{{1, 300, 7 * 32}}, {{32, 5 * 32}, 0.08f}, {{32}}},
                                 [](const Inputs& in, const OpContext&) {
                                   const Tensor out = Tensor::empty({1, 300, 32}, in[0].dtype(), in[0].device());
                                   ops::linear_into(out, in[0].slice(2, 2 * 32, 7 * 32), in[1], in[2]);
                                   return out;
                                 }));
  // Both operands strided, output columns in the middle of a wider buffer, no bias.
  cases.push_back(reduction_case("linear_rows", "x and out column slices, uniform rows over B=3",
                                 {{{3, 7, 48}}, {{24, 16}, 0.25f}, {{3, 7, 72}}},
                                 [](const Inputs& in, const OpContext&) {
                                   const Tensor buf = ops::clone(in[2]);
                                   ops::linear_into(buf.slice(2, 24, 48), in[0].slice(2, 16, 32), in[1]);
                                   return buf;
                                 }));
}

// q and k heads of qkv [B, L, 3·H·D] starting `offset` elements into each row (an odd
// offset misaligns the vector path, so the scalar path runs), normalized in place.
OpCase qk_norm_rope_case(std::string variant, int64_t b, int64_t l, int64_t h, int64_t d, int64_t offset,
                         bool rope) {
  std::vector<InputSpec> specs = {{{b, l, offset + 3 * h * d}}, {{2, d}, 0.2f, 1.0f}};
  if (rope) {
    specs.push_back({{l, d}, 1.0f, 0.0f, false, kF32});
    specs.push_back({{l, d}, 1.0f, 0.0f, false, kF32});
  }
  return OpCase{"rms_norm_rope_inplace", std::move(variant), std::move(specs),
                [h, d, offset, rope](const Inputs& in, const OpContext&) {
                  const Tensor qkv = ops::clone(in[0]);
                  const Tensor qk = qkv.slice(2, offset, offset + 2 * h * d).unflatten(2, {2 * h, d});
                  ops::rms_norm_rope_(qk, in[1], 1e-6f, rope ? in[2] : Tensor(), rope ? in[3] : Tensor());
                  return qkv;
                }};
}

void add_rms_norm_rope_inplace_cases(std::vector<OpCase>& cases) {
  cases.push_back(qk_norm_rope_case("FLUX d=128 H=3 L=37 B=2, q and k heads, rope", 2, 37, 3, 128, 0, true));
  cases.push_back(qk_norm_rope_case("d=64 H=2, rope", 1, 19, 2, 64, 0, true));
  cases.push_back(qk_norm_rope_case("d=96 misaligned rows (scalar path), rope", 1, 11, 2, 96, 1, true));
  cases.push_back(qk_norm_rope_case("d=256 H=1, norm only", 1, 9, 1, 256, 0, false));
  cases.push_back(qk_norm_rope_case("d=512 H=1, rope", 1, 5, 1, 512, 0, true));
  cases.push_back(qk_norm_rope_case("d=33 odd head dim, norm only", 2, 4, 2, 33, 0, false));
}

void add_activation_inplace_cases(std::vector<OpCase>& cases) {
  // The MLP columns [3C, 7C) of the single block's [B, N, 7C] projection.
  cases.push_back(OpCase{"activation_inplace", "GELU(tanh) on columns [48, 112) of [2, 33, 112] (vector path)",
                         {{{2, 33, 112}, 2.0f}},
                         [](const Inputs& in, const OpContext&) {
                           const Tensor y = ops::clone(in[0]);
                           ops::activation_(y.slice(2, 48, 112), ops::Activation::kGELUTanh);
                           return y;
                         }});
  cases.push_back(OpCase{"activation_inplace", "SiLU on 13 columns at row stride 29 (scalar path)",
                         {{{3, 5, 29}, 2.0f}},
                         [](const Inputs& in, const OpContext&) {
                           const Tensor y = ops::clone(in[0]);
                           ops::activation_(y.slice(2, 3, 16), ops::Activation::kSiLU);
                           return y;
                         }});
}

void add_inplace_gated_residual_cases(std::vector<OpCase>& cases) {
  // x += gate ⊙ y into the text rows of a joint [B, T+L, C] buffer (out aliases x, per sample).
  cases.push_back(OpCase{"gated_residual", "in place into rows [0, 5) of a joint [2, 12, 96] buffer",
                         {{{2, 12, 96}}, {{2, 3 * 96}}, {{2, 5, 96}}},
                         [](const Inputs& in, const OpContext&) {
                           const Tensor joint = ops::clone(in[0]);
                           ops::gated_residual_(joint.slice(1, 0, 5), in[1].slice(1, 96, 192), in[2]);
                           return joint;
                         }});
  cases.push_back(OpCase{"gated_residual", "in place, contiguous x, C=7 (scalar path)",
                         {{{2, 5, 7}}, {{2, 7}}, {{2, 5, 7}}},
                         [](const Inputs& in, const OpContext&) {
                           const Tensor x = ops::clone(in[0]);
                           ops::gated_residual_(x, in[1], in[2]);
                           return x;
                         }});
}

void add_timestep_cases(std::vector<OpCase>& cases) {
  auto timestep = [](std::string variant, int64_t values, int64_t batch, int64_t channels) {
    OpCase c{"timestep_embedding", std::move(variant), {{{values}, 1.0f, 0.0f, true, kF32}},
             [batch, channels](const Inputs& in, const OpContext& ctx) {
               return ops::timestep_embedding(in[0], batch, channels, 1000.0f, ctx.dtype);
             }};
    c.f32_tolerance = 1e-3;
    return c;
  };
  cases.push_back(timestep("sigma [3] x1000, 256 channels", 3, 3, 256));
  cases.push_back(timestep("sigma [1] broadcast to B=2, 7 channels (zero pad)", 1, 2, 7));
}

}  // namespace

void add_flux_fusion_cases(std::vector<OpCase>& cases) {
  add_linear_rows_cases(cases);
  add_rms_norm_rope_inplace_cases(cases);
  add_activation_inplace_cases(cases);
  add_inplace_gated_residual_cases(cases);
  add_timestep_cases(cases);
}

}  // namespace dc::test
