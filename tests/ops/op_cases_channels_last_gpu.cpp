// Registry cases for channels-last data (PyTorch's channels_last: [N, C, H, W]
// over NHWC memory) and the fused epilogues: every op DC-AE runs between its
// convolutions, on channels-last inputs made inside the case (so both sides see
// the same layout), checked to return channels-last as well. Tolerances as in
// op_case.h (data movements exact; norms and pointwise f32 1e-5; attention 1e-4).
#include <gtest/gtest.h>

#include <functional>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/linear_attention.h"
#include "core/ops/norm.h"
#include "core/ops/resample.h"
#include "tests/ops/op_case.h"

namespace dc::test {
namespace {

using ops::Activation;

Tensor cl(const Tensor& t) { return ops::to_channels_last(t); }

// The op under test must keep the channels-last layout it was given.
Tensor expect_cl(const Tensor& t) {
  EXPECT_TRUE(t.is_channels_last() && !t.is_contiguous()) << "result is not channels-last: " << t.describe();
  return t;
}

void add_layout_pointwise_cases(std::vector<OpCase>& cases) {
  const Shape s{2, 24, 5, 7};
  cases.push_back(OpCase{"binary", "NHWC + NHWC (flat)", {{s}, {s}},
                         [](const Inputs& in, const OpContext&) { return expect_cl(ops::add(cl(in[0]), cl(in[1]))); }});
  cases.push_back(OpCase{"binary", "NHWC - NCHW (strided b)", {{s}, {s}},
                         [](const Inputs& in, const OpContext&) { return expect_cl(ops::sub(cl(in[0]), in[1])); }});
  cases.push_back(OpCase{"binary", "NHWC * [C,1,1] (broadcast)", {{s}, {{24, 1, 1}}},
                         [](const Inputs& in, const OpContext&) { return expect_cl(ops::mul(cl(in[0]), in[1])); }});
  cases.push_back(OpCase{"binary", "NCHW + NHWC (output NCHW)", {{s}, {s}},
                         [](const Inputs& in, const OpContext&) { return ops::add(in[0], cl(in[1])); }});
  cases.push_back(OpCase{"scale", "NHWC x 0.7", {{{1, 16, 9, 5}}},
                         [](const Inputs& in, const OpContext&) { return expect_cl(ops::scale(cl(in[0]), 0.7f)); }});
  for (Activation act : {Activation::kSiLU, Activation::kReLU, Activation::kGELU}) {
    cases.push_back(OpCase{"activation", "NHWC [2,40,9,11]", {{{2, 40, 9, 11}, 3.0f}},
                           [act](const Inputs& in, const OpContext&) {
                             return expect_cl(ops::activation(cl(in[0]), act));
                           }});
  }
  // GLUMBConv: hidden and gate are the channel halves of one tensor, read in place.
  cases.push_back(OpCase{"gated_activation", "NHWC halves [2,64,5,7] (vector rows)", {{{2, 64, 5, 7}, 2.0f}},
                         [](const Inputs& in, const OpContext&) {
                           const std::vector<Tensor> h = cl(in[0]).chunk(2, 1);
                           return expect_cl(ops::gated_activation(h[0], h[1], Activation::kSiLU));
                         }});
  cases.push_back(OpCase{"gated_activation", "NHWC halves [1,6,7,3] (scalar rows)", {{{1, 6, 7, 3}, 2.0f}},
                         [](const Inputs& in, const OpContext&) {
                           const std::vector<Tensor> h = cl(in[0]).chunk(2, 1);
                           return expect_cl(ops::gated_activation(h[0], h[1], Activation::kSiLU));
                         }});
  cases.push_back(OpCase{"gated_activation", "NCHW halves [2,10,9,7] (rows of C·H·W)", {{{2, 10, 9, 7}, 2.0f}},
                         [](const Inputs& in, const OpContext&) {
                           const std::vector<Tensor> h = in[0].chunk(2, 1);
                           return ops::gated_activation(h[0], h[1], Activation::kSiLU);
                         }});
  cases.push_back(exact_case("copy_strided", "to_channels_last and back", {{{2, 7, 5, 9}}},
                             [](const Inputs& in, const OpContext&) { return ops::contiguous(cl(in[0])); }));
  cases.push_back(exact_case("copy_strided", "concat dim 1 of NHWC parts, odd channels (element copies)",
                             {{{2, 5, 4, 3}}, {{2, 3, 4, 3}}}, [](const Inputs& in, const OpContext&) {
                               return expect_cl(ops::concat({cl(in[0]), cl(in[1])}, 1));
                             }));
  cases.push_back(exact_case("copy_strided", "concat dim 1 of NHWC parts (word copies)", {{{2, 24, 5, 3}}, {{2, 8, 5, 3}}},
                             [](const Inputs& in, const OpContext&) {
                               return expect_cl(ops::concat({cl(in[0]), cl(in[1])}, 1));
                             }));
}

// rms_norm_channels on NHWC rows of C: the lanes kernel for C up to 256 vectors
// (small C packs rows into a warp), the block kernel beyond.
enum class Residual { kNone, kSameLayout, kNchw };

OpCase norm_case(std::string variant, Shape x, Residual residual, Activation act, bool nhwc = true) {
  const int64_t c = x[1];
  std::vector<InputSpec> inputs = {{x}, {{c}, 0.5f, 1.0f}, {{c}}};
  if (residual != Residual::kNone) inputs.push_back({x});
  return OpCase{"rms_norm_channels", std::move(variant), std::move(inputs),
                [residual, act, nhwc](const Inputs& in, const OpContext&) {
                  const Tensor x = nhwc ? cl(in[0]) : in[0];
                  Tensor r;
                  if (residual != Residual::kNone) r = nhwc && residual == Residual::kSameLayout ? cl(in[3]) : in[3];
                  const Tensor y = ops::rms_norm_channels(x, in[1], in[2], 1e-5f, r, act);
                  return nhwc ? expect_cl(y) : y;
                }};
}

void add_layout_norm_cases(std::vector<OpCase>& cases) {
  using R = Residual;
  cases.push_back(norm_case("NHWC C=7 (scalar lanes)", {2, 7, 5, 3}, R::kNone, Activation::kIdentity));
  cases.push_back(norm_case("NHWC C=32", {1, 32, 9, 9}, R::kNone, Activation::kIdentity));
  cases.push_back(norm_case("NHWC C=128 + residual (DC-AE block end)", {2, 128, 6, 5}, R::kSameLayout,
                            Activation::kIdentity));
  cases.push_back(norm_case("NHWC C=512 + NCHW residual", {1, 512, 4, 5}, R::kNchw, Activation::kIdentity));
  cases.push_back(norm_case("NHWC C=1024 SiLU (norm_out + conv_act)", {1, 1024, 3, 3}, R::kNone, Activation::kSiLU));
  cases.push_back(norm_case("NHWC C=2560 ReLU + residual (block kernel)", {1, 2560, 2, 3}, R::kSameLayout,
                            Activation::kReLU));
  cases.push_back(norm_case("NCHW C=24 SiLU + residual (channel kernel)", {2, 24, 7, 5}, R::kSameLayout,
                            Activation::kSiLU, false));
  const InputSpec f32_scale{{12}, 1.0f, 0.0f, false, DType::kF32}, f32_shift{{12}, 1.0f, 0.0f, false, DType::kF32};
  cases.push_back(OpCase{"channel_affine", "NHWC [2,12,5,7]", {{{2, 12, 5, 7}}, f32_scale, f32_shift},
                         [](const Inputs& in, const OpContext&) {
                           return expect_cl(ops::channel_affine(cl(in[0]), in[1], in[2]));
                         }});
  cases.push_back(OpCase{"channel_affine", "NHWC [2,12,5,7] + residual",
                         {{{2, 12, 5, 7}}, f32_scale, f32_shift, {{2, 12, 5, 7}}},
                         [](const Inputs& in, const OpContext&) {
                           return expect_cl(ops::channel_affine(cl(in[0]), in[1], in[2], cl(in[3])));
                         }});
  cases.push_back(OpCase{"channel_affine", "NCHW [1,12,4,6] + residual",
                         {{{1, 12, 4, 6}}, f32_scale, f32_shift, {{1, 12, 4, 6}}},
                         [](const Inputs& in, const OpContext&) {
                           return ops::channel_affine(in[0], in[1], in[2], in[3]);
                         }});
}

void add_layout_resample_cases(std::vector<OpCase>& cases) {
  auto movement = [&](const char* op, std::string variant, Shape x, std::function<Tensor(const Tensor&)> fn) {
    cases.push_back(exact_case(op, std::move(variant), {{std::move(x)}}, [fn](const Inputs& in, const OpContext&) {
      return expect_cl(fn(cl(in[0])));
    }));
  };
  movement("pixel_shuffle", "NHWC r=2 [2,12,3,5]", {2, 12, 3, 5}, [](const Tensor& t) { return ops::pixel_shuffle(t, 2); });
  movement("pixel_shuffle", "NHWC r=3 [1,18,4,3]", {1, 18, 4, 3}, [](const Tensor& t) { return ops::pixel_shuffle(t, 3); });
  movement("pixel_unshuffle", "NHWC r=2 [2,3,6,10]", {2, 3, 6, 10},
           [](const Tensor& t) { return ops::pixel_unshuffle(t, 2); });
  movement("pixel_unshuffle", "NHWC r=3 [1,2,9,3]", {1, 2, 9, 3},
           [](const Tensor& t) { return ops::pixel_unshuffle(t, 3); });
  movement("upsample_nearest2d", "NHWC f=2 [2,3,5,7]", {2, 3, 5, 7},
           [](const Tensor& t) { return ops::upsample_nearest2d(t, 2); });
  movement("upsample_nearest2d", "NHWC f=2 [1,32,3,4] (16-byte pixel words)", {1, 32, 3, 4},
           [](const Tensor& t) { return ops::upsample_nearest2d(t, 2); });
  movement("repeat_interleave_channels", "NHWC x4 [2,3,4,5]", {2, 3, 4, 5},
           [](const Tensor& t) { return ops::repeat_interleave_channels(t, 4); });
  cases.push_back(OpCase{"channel_group_mean", "NHWC group 4 [2,16,5,3]", {{{2, 16, 5, 3}}},
                         [](const Inputs& in, const OpContext&) {
                           return expect_cl(ops::channel_group_mean(cl(in[0]), 4));
                         }});
  // DC-AE's up block: shuffle(conv(x) + repeat_interleave(x)); one rounding of the sum on both sides.
  cases.push_back(OpCase{"pixel_shuffle", "NHWC r=2 + repeated shortcut [2,16,3,5] <- [2,8,3,5]",
                         {{{2, 16, 3, 5}}, {{2, 8, 3, 5}}}, [](const Inputs& in, const OpContext&) {
                           return expect_cl(ops::pixel_shuffle(cl(in[0]), 2, cl(in[1])));
                         }});
  // The interpolating up block: h + shuffle(repeat_interleave(x)) (vector path when C divides into 16 bytes).
  auto shuffled = [&](std::string variant, Shape h, Shape s, bool nhwc) {
    cases.push_back(OpCase{"add_shuffled_shortcut", std::move(variant), {{std::move(h)}, {std::move(s)}},
                           [nhwc](const Inputs& in, const OpContext&) {
                             if (!nhwc) return ops::add_shuffled_shortcut(in[0], in[1], 2);
                             return expect_cl(ops::add_shuffled_shortcut(cl(in[0]), cl(in[1]), 2));
                           }});
  };
  shuffled("NHWC [2,16,6,10] <- [2,32,3,5] (repeat 2, vectors)", {2, 16, 6, 10}, {2, 32, 3, 5}, true);
  shuffled("NHWC [1,6,4,6] <- [1,4,2,3] (repeat 6, scalars)", {1, 6, 4, 6}, {1, 4, 2, 3}, true);
  shuffled("NCHW [2,5,6,4] <- [2,10,3,2] (repeat 2)", {2, 5, 6, 4}, {2, 10, 3, 2}, false);
  cases.push_back(OpCase{"pixel_shuffle", "NCHW r=2 + repeated shortcut [1,12,4,3] <- [1,3,4,3]",
                         {{{1, 12, 4, 3}}, {{1, 3, 4, 3}}}, [](const Inputs& in, const OpContext&) {
                           return ops::pixel_shuffle(in[0], 2, in[1]);
                         }});
}

// q, k, v as the DC-AE block takes them from a projected qkv tensor: heads' groups
// of [q | k | v] channels, views in place (channels-last: strides (N·C, 3d, 1, C)).
OpCase attention_case(std::string variant, int64_t heads, int64_t d, int64_t h, int64_t w, bool nhwc) {
  return reduction_case("relu_linear_attention", std::move(variant), {{{1, 3 * d * heads, h, w}}},
                        [=](const Inputs& in, const OpContext&) {
                          const Tensor qkv = nhwc ? cl(in[0]) : in[0];
                          const int64_t n = qkv.size(0);
                          const Tensor g = nhwc ? qkv.permute({0, 2, 3, 1})
                                                      .view({n, h * w, -1, 3 * d})
                                                      .permute({0, 2, 3, 1})
                                                : qkv.view({n, -1, 3 * d, h * w});
                          const Tensor att = ops::relu_linear_attention(g.slice(2, 0, d), g.slice(2, d, 2 * d),
                                                                        g.slice(2, 2 * d, 3 * d), 1e-15f);
                          if (nhwc) EXPECT_EQ(att.stride(2), 1) << "channels-last q must give a token-major output";
                          return att;
                        });
}

void add_layout_attention_cases(std::vector<OpCase>& cases) {
  cases.push_back(attention_case("NHWC views d=32, 4 heads, 10x10", 4, 32, 10, 10, true));
  cases.push_back(attention_case("NHWC views d=8, 3 heads, 7x5 (partial tiles)", 3, 8, 7, 5, true));
  cases.push_back(attention_case("NHWC views d=32, 2 heads, 60x50 (split reduction)", 2, 32, 60, 50, true));
  cases.push_back(attention_case("NCHW strided slices d=16, 2 heads, 9x9", 2, 16, 9, 9, false));
}

}  // namespace

void add_channels_last_cases(std::vector<OpCase>& cases) {
  add_layout_pointwise_cases(cases);
  add_layout_norm_cases(cases);
  add_layout_resample_cases(cases);
  add_layout_attention_cases(cases);
}

}  // namespace dc::test
