// Registry cases for the long-reduction ops: matmul, linear, conv2d,
// relu_linear_attention (f32 tolerance 1e-4, see op_case.h).
#include "core/ops/conv.h"
#include "core/ops/gemm.h"
#include "core/ops/linear_attention.h"
#include "tests/ops/op_case.h"

namespace dc::test {

// conv2d in channels-last, with residual, and cuDNN's split path (op_cases_conv_layouts_gpu.cpp).
void add_conv_layout_cases(std::vector<OpCase>& cases);

namespace {

void add_gemm_cases(std::vector<OpCase>& cases) {
  cases.push_back(reduction_case("matmul", "batched [3,17,33] x [3,33,9]", {{{3, 17, 33}}, {{3, 33, 9}}},
                                 [](const Inputs& in, const OpContext&) { return ops::matmul(in[0], in[1]); }));
  cases.push_back(reduction_case("matmul", "shared b [2,5,40,24] x [24,31]", {{{2, 5, 40, 24}}, {{24, 31}}},
                                 [](const Inputs& in, const OpContext&) { return ops::matmul(in[0], in[1]); }));
  cases.push_back(reduction_case("matmul", "1-element dims [1,1,1] x [1,1,7]", {{{1, 1, 1}}, {{1, 1, 7}}},
                                 [](const Inputs& in, const OpContext&) { return ops::matmul(in[0], in[1]); }));
  cases.push_back(reduction_case("matmul", "aligned [4,64,128] x [4,128,96]", {{{4, 64, 128}}, {{4, 128, 96}}},
                                 [](const Inputs& in, const OpContext&) { return ops::matmul(in[0], in[1]); }));
  cases.push_back(reduction_case("matmul", "transposed b view", {{{2, 9, 20}}, {{2, 13, 20}}},
                                 [](const Inputs& in, const OpContext&) {
                                   return ops::matmul(in[0], in[1].transpose(1, 2));
                                 }));
  cases.push_back(reduction_case("linear", "[3,5,37] x [19,37]ᵀ + bias", {{{3, 5, 37}}, {{19, 37}}, {{19}}},
                                 [](const Inputs& in, const OpContext&) { return ops::linear(in[0], in[1], in[2]); }));
  cases.push_back(reduction_case("linear", "[1,64] x [128,64]ᵀ, no bias", {{{1, 64}}, {{128, 64}}},
                                 [](const Inputs& in, const OpContext&) { return ops::linear(in[0], in[1]); }));
  cases.push_back(reduction_case("linear", "[257,96] x [33,96]ᵀ + bias", {{{257, 96}}, {{33, 96}}, {{33}}},
                                 [](const Inputs& in, const OpContext&) { return ops::linear(in[0], in[1], in[2]); }));
  cases.push_back(reduction_case("linear", "[257,96] x [33,96]ᵀ, no bias", {{{257, 96}}, {{33, 96}}},
                                 [](const Inputs& in, const OpContext&) { return ops::linear(in[0], in[1]); }));
  cases.push_back(reduction_case("linear", "K=1 N=1 + bias", {{{2, 3, 1}}, {{1, 1}}, {{1}}},
                                 [](const Inputs& in, const OpContext&) { return ops::linear(in[0], in[1], in[2]); }));
  cases.push_back(reduction_case("linear", "caption projection [2,300,256] x [1152,256]ᵀ + bias",
                                 {{{2, 300, 256}}, {{1152, 256}, 0.0625f}, {{1152}}},
                                 [](const Inputs& in, const OpContext&) { return ops::linear(in[0], in[1], in[2]); }));
}

// conv2d case: x, weight (and bias when `bias`), options.
OpCase conv_case(std::string variant, Shape x, Shape w, bool bias, ops::Conv2dOptions opt) {
  std::vector<InputSpec> inputs = {{std::move(x)}, {w}};
  if (bias) inputs.push_back({{w[0]}});
  return reduction_case("conv2d", std::move(variant), std::move(inputs), [opt](const Inputs& in, const OpContext&) {
    return ops::conv2d(in[0], in[1], in.size() > 2 ? in[2] : Tensor(), opt);
  });
}

void add_conv_cases(std::vector<OpCase>& cases) {
  cases.push_back(conv_case("1x1 + bias (pointwise GEMM)", {2, 7, 5, 6}, {11, 7, 1, 1}, true, {}));
  cases.push_back(conv_case("1x1 groups=3*heads (batched GEMM)", {2, 12, 4, 5}, {12, 4, 1, 1}, false, {1, 0, 3}));
  cases.push_back(conv_case("3x3 s1 p1 + bias (im2col)", {2, 5, 9, 7}, {6, 5, 3, 3}, true, {1, 1, 1}));
  cases.push_back(conv_case("3x3 s2 p1 no bias (im2col)", {1, 8, 11, 10}, {4, 8, 3, 3}, false, {2, 1, 1}));
  cases.push_back(conv_case("1x1 s2 (im2col, not pointwise)", {1, 6, 7, 9}, {5, 6, 1, 1}, true, {2, 0, 1}));
  cases.push_back(conv_case("depthwise 3x3 p1 + bias (direct)", {2, 10, 7, 9}, {10, 1, 3, 3}, true, {1, 1, 10}));
  cases.push_back(conv_case("depthwise 5x5 p2 (multiscale proj_in)", {1, 18, 7, 7}, {18, 1, 5, 5}, false, {1, 2, 18}));
  cases.push_back(conv_case("grouped 5x5 p2 groups=3*heads (direct)", {1, 24, 9, 8}, {24, 4, 5, 5}, false, {1, 2, 6}));
  cases.push_back(conv_case("grouped 3x3 20 ch/group + bias (im2col per group)", {1, 40, 6, 6}, {8, 20, 3, 3}, true,
                            {1, 1, 2}));
  cases.push_back(conv_case("2x2 s2 patch embed + bias", {1, 3, 8, 10}, {16, 3, 2, 2}, true, {2, 0, 1}));
  cases.push_back(conv_case("7x7 p3 no bias", {1, 3, 16, 16}, {8, 3, 7, 7}, false, {1, 3, 1}));
  cases.push_back(conv_case("3x3 p1 64->64 32x32 + bias", {1, 64, 32, 32}, {64, 64, 3, 3}, true, {1, 1, 1}));
  cases.push_back(conv_case("3x3 p1 64->64 32x32 no bias", {1, 64, 32, 32}, {64, 64, 3, 3}, false, {1, 1, 1}));
  cases.push_back(conv_case("1-pixel input 3x3 p1", {1, 4, 1, 1}, {3, 4, 3, 3}, true, {1, 1, 1}));
  add_conv_layout_cases(cases);
}

OpCase attention_case(std::string variant, Shape qkv) {
  return reduction_case("relu_linear_attention", std::move(variant), {{qkv}, {qkv}, {qkv}},
                        [](const Inputs& in, const OpContext&) {
                          return ops::relu_linear_attention(in[0], in[1], in[2], 1e-15f);
                        });
}

void add_attention_cases(std::vector<OpCase>& cases) {
  cases.push_back(attention_case("d=32 N=100", {1, 2, 32, 100}));
  cases.push_back(attention_case("d=8 N=33, 2 batches x 3 heads", {2, 3, 8, 33}));
  cases.push_back(attention_case("d=128 N=70 (large shared memory)", {1, 1, 128, 70}));
  cases.push_back(attention_case("d=32 N=3000 (split reduction)", {1, 2, 32, 3000}));
  cases.push_back(attention_case("d=5 N=1", {1, 1, 5, 1}));
  cases.push_back(attention_case("d=33 N=257 (partial tiles)", {1, 1, 33, 257}));
}

}  // namespace

void add_dense_cases(std::vector<OpCase>& cases) {
  add_gemm_cases(cases);
  add_conv_cases(cases);
  add_attention_cases(cases);
}

}  // namespace dc::test
