// Registry cases for norms (rms_norm, layer_norm, rms_norm_channels,
// channel_affine, group_norm) and the resample family.
#include "core/ops/norm.h"
#include "core/ops/resample.h"
#include "tests/ops/op_case.h"

namespace dc::test {
namespace {

Tensor arg(const Inputs& in, size_t i) { return i < in.size() ? in[i] : Tensor(); }

// Row norm case over x [.., C] with optional weight and bias inputs.
OpCase norm_case(const char* op, std::string variant, Shape x, bool weight, bool bias, float offset = 0.0f) {
  const int64_t c = x.back();
  std::vector<InputSpec> inputs = {{std::move(x), 1.0f, offset}};
  if (weight) inputs.push_back({{c}, 0.5f, 1.0f});
  if (bias) inputs.push_back({{c}});
  const std::string name = op;
  return OpCase{name, std::move(variant), std::move(inputs), [name, weight, bias](const Inputs& in, const OpContext&) {
                  const Tensor w = weight ? in[1] : Tensor();
                  const Tensor b = bias ? arg(in, weight ? 2 : 1) : Tensor();
                  if (name == "rms_norm") return ops::rms_norm(in[0], w, b, 1e-6f);
                  return ops::layer_norm(in[0], w, b, 1e-5f);
                }};
}

OpCase channel_norm_case(std::string variant, Shape x, bool weight, bool bias) {
  const int64_t c = x[1];
  std::vector<InputSpec> inputs = {{std::move(x)}};
  if (weight) inputs.push_back({{c}, 0.5f, 1.0f});
  if (bias) inputs.push_back({{c}});
  return OpCase{"rms_norm_channels", std::move(variant), std::move(inputs),
                [weight, bias](const Inputs& in, const OpContext&) {
                  const Tensor w = weight ? in[1] : Tensor();
                  const Tensor b = bias ? arg(in, weight ? 2 : 1) : Tensor();
                  return ops::rms_norm_channels(in[0], w, b, 1e-5f);
                }};
}

// group_norm (layer_norm over [N·G, C/G·HW] rows + channel_affine) with optional weight and bias.
OpCase group_norm_case(std::string variant, Shape x, int64_t groups, bool weight, bool bias) {
  const int64_t c = x[1];
  std::vector<InputSpec> inputs = {{std::move(x), 2.0f, 0.5f}};
  if (weight) inputs.push_back({{c}, 0.5f, 1.0f});
  if (bias) inputs.push_back({{c}});
  return OpCase{"group_norm", std::move(variant), std::move(inputs),
                [groups, weight, bias](const Inputs& in, const OpContext&) {
                  const Tensor w = weight ? in[1] : Tensor();
                  const Tensor b = bias ? arg(in, weight ? 2 : 1) : Tensor();
                  return ops::group_norm(in[0], w, b, groups, 1e-6f);
                }};
}

void add_norm_cases(std::vector<OpCase>& cases) {
  cases.push_back(norm_case("rms_norm", "7x33 w b", {7, 33}, true, true));
  cases.push_back(norm_case("rms_norm", "4x1024 w (vector path)", {4, 1024}, true, false));
  cases.push_back(norm_case("rms_norm", "C=1, no affine", {3, 1}, false, false));
  cases.push_back(norm_case("rms_norm", "[2,5,2240] w (SANA width)", {2, 5, 2240}, true, false));
  cases.push_back(norm_case("layer_norm", "7x33 w b, mean 3", {7, 33}, true, true, 3.0f));
  cases.push_back(norm_case("layer_norm", "16x1152 w b", {16, 1152}, true, true));
  cases.push_back(norm_case("layer_norm", "3x77 no affine", {3, 77}, false, false));
  cases.push_back(norm_case("layer_norm", "1x5000 b only", {1, 5000}, false, true, -2.0f));
  cases.push_back(channel_norm_case("[2,7,5,3] w b", {2, 7, 5, 3}, true, true));
  cases.push_back(channel_norm_case("[1,32,33,33] w", {1, 32, 33, 33}, true, false));
  cases.push_back(channel_norm_case("C=1 [3,1,4,4]", {3, 1, 4, 4}, false, false));
  cases.push_back(channel_norm_case("[2,512,4,4] w b (deep, few pixels)", {2, 512, 4, 4}, true, true));
  cases.push_back(OpCase{"channel_affine", "[2,6,5,7], f32 scale/shift",
                         {{{2, 6, 5, 7}}, {{6}, 1.0f, 0.0f, false, DType::kF32}, {{6}, 1.0f, 0.0f, false, DType::kF32}},
                         [](const Inputs& in, const OpContext&) { return ops::channel_affine(in[0], in[1], in[2]); }});
  cases.push_back(OpCase{"channel_affine", "batch_norm_inference [1,9,4,3]",
                         {{{1, 9, 4, 3}}, {{9}}, {{9}, 1.0f, 0.5f, true}, {{9}}, {{9}}},
                         [](const Inputs& in, const OpContext&) {
                           return ops::batch_norm_inference(in[0], in[1], in[2], in[3], in[4], 1e-5f);
                         }});
  cases.push_back(group_norm_case("[2,12,5,7] G=4 w b", {2, 12, 5, 7}, 4, true, true));
  cases.push_back(group_norm_case("[1,32,9,9] G=32 w b (one channel per group)", {1, 32, 9, 9}, 32, true, true));
  cases.push_back(group_norm_case("[2,8,33,17] G=2 no affine", {2, 8, 33, 17}, 2, false, false));
  cases.push_back(group_norm_case("[1,512,8,8] G=32 w b (VAE mid width)", {1, 512, 8, 8}, 32, true, true));
  cases.push_back(group_norm_case("[1,128,64,64] G=32 w b (VAE full-res rows of 16384)", {1, 128, 64, 64}, 32,
                                  true, true));
}

void add_resample_cases(std::vector<OpCase>& cases) {
  cases.push_back(exact_case("pixel_shuffle", "r=2 [2,12,3,5]", {{{2, 12, 3, 5}}},
                             [](const Inputs& in, const OpContext&) { return ops::pixel_shuffle(in[0], 2); }));
  cases.push_back(exact_case("pixel_shuffle", "r=3 [1,27,4,4]", {{{1, 27, 4, 4}}},
                             [](const Inputs& in, const OpContext&) { return ops::pixel_shuffle(in[0], 3); }));
  cases.push_back(exact_case("pixel_unshuffle", "r=2 [2,3,6,10]", {{{2, 3, 6, 10}}},
                             [](const Inputs& in, const OpContext&) { return ops::pixel_unshuffle(in[0], 2); }));
  cases.push_back(exact_case("pixel_unshuffle", "r=3 [1,2,9,3]", {{{1, 2, 9, 3}}},
                             [](const Inputs& in, const OpContext&) { return ops::pixel_unshuffle(in[0], 3); }));
  cases.push_back(exact_case("upsample_nearest2d", "f=2 [2,3,5,7]", {{{2, 3, 5, 7}}},
                             [](const Inputs& in, const OpContext&) { return ops::upsample_nearest2d(in[0], 2); }));
  cases.push_back(exact_case("upsample_nearest2d", "f=3 [1,1,1,4]", {{{1, 1, 1, 4}}},
                             [](const Inputs& in, const OpContext&) { return ops::upsample_nearest2d(in[0], 3); }));
  cases.push_back(exact_case("repeat_interleave_channels", "x2 [2,3,4,5]", {{{2, 3, 4, 5}}},
                             [](const Inputs& in, const OpContext&) {
                               return ops::repeat_interleave_channels(in[0], 2);
                             }));
  cases.push_back(exact_case("repeat_interleave_channels", "x3 [1,5,1,3]", {{{1, 5, 1, 3}}},
                             [](const Inputs& in, const OpContext&) {
                               return ops::repeat_interleave_channels(in[0], 3);
                             }));
  cases.push_back(OpCase{"channel_group_mean", "group 3 [2,12,5,3]", {{{2, 12, 5, 3}}},
                         [](const Inputs& in, const OpContext&) { return ops::channel_group_mean(in[0], 3); }});
  cases.push_back(OpCase{"channel_group_mean", "group 8 [1,8,4,4]", {{{1, 8, 4, 4}}},
                         [](const Inputs& in, const OpContext&) { return ops::channel_group_mean(in[0], 8); }});
}

}  // namespace

void add_spatial_cases(std::vector<OpCase>& cases) {
  add_norm_cases(cases);
  add_resample_cases(cases);
}

}  // namespace dc::test
