// Registry cases for the transformer ops: attention (flash kernel and the
// per-row path), embedding, rms_norm_rope / rope, layer_norm_modulate,
// gated_residual. Shapes cover CLIP/T5 (D = 64, causal, T5 bias, padding mask),
// FLUX joint attention (D = 128, q/k/v as views of a fused projection) and
// partial tiles. Tolerances follow op_case.h: attention is a long reduction
// (f32 1e-4; bf16/f16 1e-2 plus the flash-attention ratio, where the CUDA side
// also rounds the probabilities before P·V, as flash attention does); the
// row-wise ops are norms (f32 1e-5); embedding copies bits (exact).
#include <utility>

#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/embedding.h"
#include "core/ops/modulation.h"
#include "core/ops/random.h"
#include "core/ops/rope.h"
#include "tests/ops/op_case.h"

namespace dc::test {
namespace {

// Optional parts of an attention case.
struct AttentionExtras {
  bool causal = false;
  float scale = 0.0f;
  bool bias = false;      // the input after q, k, v (or after the fused qkv): f32 bias
  bool key_mask = false;  // drawn from the run's seed (an input would be cast to f32 for the ratio check)
  bool right_padding = false;  // key mask of padded prompts instead: batch b sees its first Lk·(B-b)/B keys
};

// u8 [B, Lk], about 80% ones, identical on both devices (drawn on the CPU, then moved).
Tensor draw_key_mask(int64_t batch, int64_t keys, const OpContext& ctx) {
  Tensor u = ops::rand({batch, keys}, ctx.seed ^ 0x6b65795f6d61736bull);
  u = ops::add(ops::scale(u, 1.25f), ops::full({1}, 0.75f, DType::kF32));  // [0.75, 2): truncates to 0 or 1
  return ops::to_device(ops::cast(u, DType::kU8), ctx.device);
}

// u8 [B, Lk]: ones then zeros (the padding mask cuDNN SDPA takes as key lengths).
Tensor right_padding_mask(int64_t batch, int64_t keys, const OpContext& ctx) {
  Tensor m = Tensor::empty({batch, keys}, DType::kU8);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t j = 0; j < keys; ++j) m.data<uint8_t>()[b * keys + j] = j < keys * (batch - b) / batch;
  return ops::to_device(m, ctx.device);
}

ops::AttentionOptions options_from(const Inputs& in, size_t next, const AttentionExtras& e, const Tensor& k,
                                   const OpContext& ctx) {
  ops::AttentionOptions o;
  o.causal = e.causal;
  o.scale = e.scale;
  if (e.bias) o.bias = in[next];
  if (e.key_mask) o.key_mask = draw_key_mask(k.size(0), k.size(1), ctx);
  if (e.right_padding) o.key_mask = right_padding_mask(k.size(0), k.size(1), ctx);
  return o;
}

void add_bias_spec(std::vector<InputSpec>& specs, const AttentionExtras& e, Shape bias_shape) {
  if (e.bias) specs.push_back({std::move(bias_shape), 1.0f, 0.0f, false, DType::kF32});
}

// Separate q [B, Lq, H, D], k/v [B, Lk, H, D] tensors.
OpCase attention_case(std::string variant, int64_t b, int64_t lq, int64_t lk, int64_t h, int64_t d,
                      AttentionExtras e = {}, Shape bias_shape = {}) {
  std::vector<InputSpec> specs = {{{b, lq, h, d}}, {{b, lk, h, d}}, {{b, lk, h, d}}};
  add_bias_spec(specs, e, std::move(bias_shape));
  return reduction_case("attention", std::move(variant), std::move(specs),
                        [e](const Inputs& in, const OpContext& ctx) {
                          return ops::attention(in[0], in[1], in[2], options_from(in, 3, e, in[1], ctx));
                        });
}

// q, k, v as strided views of one fused projection [B, L, 3, H, D] (FLUX, CLIP, T5 layouts).
OpCase fused_attention_case(std::string variant, int64_t b, int64_t l, int64_t h, int64_t d, AttentionExtras e = {},
                            Shape bias_shape = {}) {
  std::vector<InputSpec> specs = {{{b, l, 3, h, d}}};
  add_bias_spec(specs, e, std::move(bias_shape));
  return reduction_case("attention", std::move(variant), std::move(specs),
                        [e](const Inputs& in, const OpContext& ctx) {
                          const Tensor k = in[0].select(2, 1);
                          return ops::attention(in[0].select(2, 0), k, in[0].select(2, 2),
                                                options_from(in, 1, e, k, ctx));
                        });
}

void add_attention_cases(std::vector<OpCase>& cases) {
  cases.push_back(fused_attention_case("CLIP d=64 L=77 causal, fused qkv", 2, 77, 3, 64, {.causal = true}));
  cases.push_back(fused_attention_case("T5 d=64 L=50 scale 1, bias [1,H,L,L], key mask", 2, 50, 4, 64,
                                       {.scale = 1.0f, .bias = true, .key_mask = true}, {1, 4, 50, 50}));
  cases.push_back(fused_attention_case("FLUX d=128 L=300, fused qkv", 1, 300, 3, 128));
  cases.push_back(attention_case("d=128 L=1100 (many key tiles)", 1, 1100, 1100, 2, 128));
  cases.push_back(attention_case("d=128 causal L=190", 2, 190, 190, 2, 128, {.causal = true}));
  cases.push_back(attention_case("cross d=64 Lq=33 Lk=77 key mask", 2, 33, 77, 2, 64, {.key_mask = true}));
  cases.push_back(attention_case("d=64 bias [B,1,Lq,Lk] + causal + mask", 2, 70, 70, 3, 64,
                                 {.causal = true, .bias = true, .key_mask = true}, {2, 1, 70, 70}));
  cases.push_back(attention_case("d=128 key bias [Lk] broadcast", 1, 40, 129, 2, 128, {.bias = true}, {129}));
  cases.push_back(attention_case("d=64 causal L=300 (several query tiles)", 1, 300, 300, 2, 64, {.causal = true}));
  cases.push_back(attention_case("generic d=40 L=65", 1, 65, 65, 2, 40));
  cases.push_back(attention_case("generic d=32 cross Lq=20 Lk=150", 2, 20, 150, 3, 32));
  cases.push_back(attention_case("generic d=160 L=90", 1, 90, 90, 2, 160));
  cases.push_back(attention_case("generic d=256 L=70", 1, 70, 70, 2, 256));
  cases.push_back(attention_case("generic d=96 causal + mask", 1, 45, 45, 2, 96, {.causal = true, .key_mask = true}));
  cases.push_back(attention_case("row path d=20 (not a multiple of 8)", 2, 17, 23, 2, 20));
  cases.push_back(attention_case("single query and key d=64", 1, 1, 1, 1, 64));
  // 16-byte aligned bias rows and right-padded keys: the bias and padding cuDNN SDPA takes.
  cases.push_back(fused_attention_case("T5 d=64 L=64 scale 1, bias [1,H,L,L], right-padded keys", 2, 64, 4, 64,
                                       {.scale = 1.0f, .bias = true, .right_padding = true}, {1, 4, 64, 64}));
  cases.push_back(attention_case("cross d=64 Lq=33 Lk=80 right-padded keys", 2, 33, 80, 2, 64,
                                 {.right_padding = true}));
  cases.push_back(attention_case("d=64 bias [B,1,L,L] + causal L=96", 2, 96, 96, 3, 64, {.causal = true, .bias = true},
                                 {2, 1, 96, 96}));
  // Padding everywhere in batch 0, and key 0 masked in batch 1 so causal row 0 has no key: zero rows.
  cases.push_back(reduction_case("attention", "fully masked rows (all-padding sample, causal row 0)",
                                 {{{2, 37, 2, 64}}, {{2, 37, 2, 64}}, {{2, 37, 2, 64}}},
                                 [](const Inputs& in, const OpContext& ctx) {
                                   std::vector<int64_t> m(2 * 37, 1);
                                   for (int64_t j = 0; j < 37; ++j) m[j] = 0;
                                   m[37] = 0;
                                   const Tensor mask = ops::to_device(Tensor::from_vector_i64(m, {2, 37}), ctx.device);
                                   return ops::attention(in[0], in[1], in[2], {.causal = true, .key_mask = mask});
                                 }));
}

void add_embedding_cases(std::vector<OpCase>& cases) {
  // ids drawn uniform in [0, V) and truncated to integers.
  cases.push_back(exact_case("embedding", "V=50 D=64 (16-byte rows), i64 ids [2,9]",
                             {{{50, 64}}, {{2, 9}, 50.0f, 0.0f, true, DType::kI64}},
                             [](const Inputs& in, const OpContext&) { return ops::embedding(in[0], in[1]); }));
  cases.push_back(exact_case("embedding", "V=30 D=5 (odd rows), i32 ids [13]",
                             {{{30, 5}}, {{13}, 30.0f, 0.0f, true, DType::kI32}},
                             [](const Inputs& in, const OpContext&) { return ops::embedding(in[0], in[1]); }));
}

void add_rope_cases(std::vector<OpCase>& cases) {
  const DType f32 = DType::kF32;
  // x as the q slice of a fused projection [B, L, 3, H, D]; cos/sin f32 [L, D].
  cases.push_back(OpCase{"rms_norm_rope", "FLUX d=128 H=3 L=17, strided q, weight + rope",
                         {{{2, 17, 3, 3, 128}}, {{128}}, {{17, 128}, 1, 0, false, f32}, {{17, 128}, 1, 0, false, f32}},
                         [](const Inputs& in, const OpContext&) {
                           return ops::rms_norm_rope(in[0].select(2, 0), in[1], 1e-6f, in[2], in[3]);
                         }});
  cases.push_back(OpCase{"rms_norm_rope", "d=64 norm only (no rope)", {{{1, 9, 4, 64}, 3.0f}, {{64}}},
                         [](const Inputs& in, const OpContext&) {
                           return ops::rms_norm_rope(in[0], in[1], 1e-6f, Tensor(), Tensor());
                         }});
  cases.push_back(OpCase{"rms_norm_rope", "d=33 norm only (odd head dim)", {{{1, 5, 2, 33}}, {{33}}},
                         [](const Inputs& in, const OpContext&) {
                           return ops::rms_norm_rope(in[0], in[1], 1e-5f, Tensor(), Tensor());
                         }});
  cases.push_back(OpCase{"rms_norm_rope", "rope only d=256, strided k",
                         {{{1, 6, 3, 2, 256}}, {{6, 256}, 1, 0, false, f32}, {{6, 256}, 1, 0, false, f32}},
                         [](const Inputs& in, const OpContext&) { return ops::rope(in[0].select(2, 1), in[1], in[2]); }});
  cases.push_back(OpCase{"rms_norm_rope", "d=512 weight + rope",
                         {{{1, 3, 2, 512}}, {{512}}, {{3, 512}, 1, 0, false, f32}, {{3, 512}, 1, 0, false, f32}},
                         [](const Inputs& in, const OpContext&) {
                           return ops::rms_norm_rope(in[0], in[1], 1e-6f, in[2], in[3]);
                         }});
}

void add_modulation_cases(std::vector<OpCase>& cases) {
  // scale/shift as chunks of one modulation vector [B, 6C] (AdaLayerNormZero), x offset so the mean matters.
  auto modulate = [](std::string variant, int64_t b, int64_t l, int64_t c) {
    return OpCase{"layer_norm_modulate", std::move(variant), {{{b, l, c}, 2.0f, 0.5f}, {{b, 6 * c}, 0.3f}},
                  [](const Inputs& in, const OpContext&) {
                    const std::vector<Tensor> mod = in[1].chunk(6, 1);
                    return ops::layer_norm_modulate(in[0], mod[1], mod[0], 1e-6f);
                  }};
  };
  cases.push_back(modulate("C=384 (vector path), chunked [B,6C]", 2, 33, 384));
  cases.push_back(modulate("C=100 (odd vectors)", 2, 7, 100));
  cases.push_back(modulate("C=5000 (several vectors per thread)", 1, 5, 5000));
  cases.push_back(OpCase{"layer_norm_modulate", "C=3072 FLUX width, [1,C] broadcast scale/shift",
                         {{{2, 9, 3072}}, {{1, 3072}, 0.3f}, {{1, 3072}}},
                         [](const Inputs& in, const OpContext&) {
                           return ops::layer_norm_modulate(in[0], in[1], in[2], 1e-6f);
                         }});

  auto gated = [](std::string variant, int64_t b, int64_t l, int64_t c) {
    // y as the second half of a wider projection [B, L, 2C]; gate a chunk of [B, 3C].
    return OpCase{"gated_residual", std::move(variant), {{{b, l, c}}, {{b, 3 * c}}, {{b, l, 2 * c}}},
                  [c](const Inputs& in, const OpContext&) {
                    return ops::gated_residual(in[0], in[1].slice(1, 2 * c, 3 * c), in[2].slice(2, c, 2 * c));
                  }};
  };
  cases.push_back(gated("C=96 strided y and gate (vector path)", 2, 17, 96));
  cases.push_back(gated("C=7 (scalar path)", 2, 5, 7));
}

}  // namespace

void add_transformer_cases(std::vector<OpCase>& cases) {
  add_attention_cases(cases);
  add_embedding_cases(cases);
  add_rope_cases(cases);
  add_modulation_cases(cases);
}

}  // namespace dc::test
