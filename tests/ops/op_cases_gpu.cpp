// The registry: OpCase helpers and the pointwise-family cases (copy_strided,
// fill, binary, scale, activation, gated_activation, random).
#include <sstream>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"
#include "tests/ops/op_case.h"

namespace dc::test {

std::string OpCase::describe(DType dtype) const {
  std::ostringstream s;
  s << op << "[" << variant << "] " << dtype_name(dtype) << " inputs";
  for (const InputSpec& in : inputs) {
    s << " ";
    if (in.dtype) s << dtype_name(*in.dtype);
    s << shape_to_string(in.shape);
  }
  return s.str();
}

double OpCase::tolerance(DType dtype) const {
  if (check == Check::kExact) return 0.0;
  return dtype == DType::kF32 ? f32_tolerance : 1e-2;  // justified in op_case.h
}

OpCase reduction_case(std::string op, std::string variant, std::vector<InputSpec> inputs, OpFn run) {
  OpCase c{std::move(op), std::move(variant), std::move(inputs), std::move(run)};
  c.f32_tolerance = 1e-4;
  return c;
}

OpCase exact_case(std::string op, std::string variant, std::vector<InputSpec> inputs, OpFn run) {
  OpCase c{std::move(op), std::move(variant), std::move(inputs), std::move(run)};
  c.check = Check::kExact;
  return c;
}

std::vector<OpCase> all_op_cases() {
  std::vector<OpCase> cases;
  add_pointwise_cases(cases);
  add_dense_cases(cases);
  add_spatial_cases(cases);
  add_channels_last_cases(cases);
  add_transformer_cases(cases);
  add_flux_fusion_cases(cases);
  return cases;
}

namespace {

const std::vector<DType> kLowPrecision = {DType::kBF16, DType::kF16};

void add_copy_cases(std::vector<OpCase>& cases) {
  cases.push_back(exact_case("copy_strided", "contiguous(permute) 4-D", {{{3, 5, 7, 2}}},
                             [](const Inputs& in, const OpContext&) {
                               return ops::contiguous(in[0].permute({2, 0, 3, 1}));
                             }));
  cases.push_back(exact_case("copy_strided", "transpose 33x17", {{{33, 17}}}, [](const Inputs& in, const OpContext&) {
    return ops::contiguous(in[0].transpose(0, 1));
  }));
  cases.push_back(exact_case("copy_strided", "double slice", {{{7, 9, 11}}}, [](const Inputs& in, const OpContext&) {
    return ops::contiguous(in[0].slice(1, 2, 7).slice(2, 1, 10));
  }));
  cases.push_back(exact_case("copy_strided", "8-D reversed permute", {{{2, 1, 3, 2, 1, 2, 3, 2}}},
                             [](const Inputs& in, const OpContext&) {
                               return ops::contiguous(in[0].permute({7, 6, 5, 4, 3, 2, 1, 0}));
                             }));
  cases.push_back(exact_case("copy_strided", "expand stride 0", {{{1, 5}}}, [](const Inputs& in, const OpContext&) {
    return ops::contiguous(in[0].expand({7, 5}));
  }));
  cases.push_back(exact_case("copy_strided", "copy_ broadcast into zeros", {{{6, 1}}},
                             [](const Inputs& in, const OpContext& ctx) {
                               Tensor dst = ops::zeros({4, 6, 5}, in[0].dtype(), ctx.device);
                               ops::copy_(dst, in[0]);
                               return dst;
                             }));
  cases.push_back(exact_case("copy_strided", "concat dim 1", {{{2, 3, 5}}, {{2, 1, 5}}, {{2, 4, 5}}},
                             [](const Inputs& in, const OpContext&) { return ops::concat(in, 1); }));
  cases.push_back(exact_case("copy_strided", "cast f32 -> dtype, odd length", {{{5, 1031}, 1, 0, false, DType::kF32}},
                             [](const Inputs& in, const OpContext& ctx) { return ops::cast(in[0], ctx.dtype); }));
  cases.back().dtypes = kLowPrecision;
  cases.push_back(exact_case("copy_strided", "cast dtype -> f32", {{{3, 517}}},
                             [](const Inputs& in, const OpContext&) { return ops::cast(in[0], DType::kF32); }));
  cases.back().dtypes = kLowPrecision;
  cases.push_back(exact_case("copy_strided", "cast bf16 -> f16", {{{9, 65}, 1, 0, false, DType::kBF16}},
                             [](const Inputs& in, const OpContext&) { return ops::cast(in[0], DType::kF16); }));
  cases.back().dtypes = {DType::kF16};
  cases.push_back(exact_case("copy_strided", "cast f16 -> bf16", {{{9, 65}, 1, 0, false, DType::kF16}},
                             [](const Inputs& in, const OpContext&) { return ops::cast(in[0], DType::kBF16); }));
  cases.back().dtypes = {DType::kBF16};
  cases.push_back(exact_case("copy_strided", "cast f32 -> dtype of a permuted view",
                             {{{4, 6, 9}, 1, 0, false, DType::kF32}}, [](const Inputs& in, const OpContext& ctx) {
                               return ops::cast(in[0].permute({2, 0, 1}), ctx.dtype);
                             }));
  cases.back().dtypes = kLowPrecision;
  // Integer tensors (token ids, masks, indices) are copied bit for bit.
  cases.push_back(exact_case("copy_strided", "integer permute", {{{5, 3, 7}, 1000.0f}},
                             [](const Inputs& in, const OpContext&) {
                               return ops::contiguous(in[0].permute({1, 2, 0}));
                             }));
  cases.back().dtypes = {DType::kI64, DType::kI32};
  cases.push_back(exact_case("copy_strided", "u8 slice", {{{6, 37}, 250.0f, 0.0f, true}},
                             [](const Inputs& in, const OpContext&) {
                               return ops::contiguous(in[0].slice(1, 3, 30));
                             }));
  cases.back().dtypes = {DType::kU8};
}

void add_fill_cases(std::vector<OpCase>& cases) {
  // No inputs: the runner's non-constant check does not apply.
  cases.push_back(exact_case("fill", "full 0.3125", {}, [](const Inputs&, const OpContext& ctx) {
    return ops::full({3, 17, 5}, 0.3125f, ctx.dtype, ctx.device);
  }));
  cases.push_back(exact_case("fill", "zeros (memset path)", {}, [](const Inputs&, const OpContext& ctx) {
    return ops::zeros({1029}, ctx.dtype, ctx.device);
  }));
  cases.push_back(exact_case("fill", "integer full 7", {}, [](const Inputs&, const OpContext& ctx) {
    return ops::full({13, 3}, 7.0f, ctx.dtype, ctx.device);
  }));
  cases.back().dtypes = {DType::kI64, DType::kI32, DType::kU8};
  cases.push_back(exact_case("fill", "signed full -7", {}, [](const Inputs&, const OpContext& ctx) {
    return ops::full({2, 9}, -7.0f, ctx.dtype, ctx.device);
  }));
  cases.back().dtypes = {DType::kI64, DType::kI32};
}

void add_binary_cases(std::vector<OpCase>& cases) {
  cases.push_back(OpCase{"binary", "add same shape 7x33", {{{7, 33}}, {{7, 33}}},
                         [](const Inputs& in, const OpContext&) { return ops::add(in[0], in[1]); }});
  cases.push_back(OpCase{"binary", "sub same shape 64x1024 (vector path)", {{{64, 1024}}, {{64, 1024}}},
                         [](const Inputs& in, const OpContext&) { return ops::sub(in[0], in[1]); }});
  cases.push_back(OpCase{"binary", "mul same shape 1x1", {{{1, 1}}, {{1, 1}}},
                         [](const Inputs& in, const OpContext&) { return ops::mul(in[0], in[1]); }});
  cases.push_back(OpCase{"binary", "add row broadcast [5,7,9] + [9]", {{{5, 7, 9}}, {{9}}},
                         [](const Inputs& in, const OpContext&) { return ops::add(in[0], in[1]); }});
  cases.push_back(OpCase{"binary", "mul column broadcast [4,6,10] * [6,1]", {{{4, 6, 10}}, {{6, 1}}},
                         [](const Inputs& in, const OpContext&) { return ops::mul(in[0], in[1]); }});
  cases.push_back(OpCase{"binary", "sub scalar [3,5,7] - [1]", {{{3, 5, 7}}, {{1}}},
                         [](const Inputs& in, const OpContext&) { return ops::sub(in[0], in[1]); }});
  cases.push_back(OpCase{"binary", "add transposed b", {{{6, 8}}, {{8, 6}}},
                         [](const Inputs& in, const OpContext&) { return ops::add(in[0], in[1].transpose(0, 1)); }});
  cases.push_back(OpCase{"binary", "mul 1-element dims [1,3,1,5] * [1,1,1,5]", {{{1, 3, 1, 5}}, {{1, 1, 1, 5}}},
                         [](const Inputs& in, const OpContext&) { return ops::mul(in[0], in[1]); }});
  cases.push_back(OpCase{"binary", "add modulation [2,1,C] over [2,N,C]", {{{2, 77, 40}}, {{2, 1, 40}}},
                         [](const Inputs& in, const OpContext&) { return ops::add(in[0], in[1]); }});
}

void add_activation_cases(std::vector<OpCase>& cases) {
  cases.push_back(OpCase{"scale", "x * 0.7, odd length", {{{5, 37}}},
                         [](const Inputs& in, const OpContext&) { return ops::scale(in[0], 0.7f); }});
  const std::pair<ops::Activation, const char*> acts[] = {
      {ops::Activation::kReLU, "relu"},           {ops::Activation::kReLU6, "relu6"},
      {ops::Activation::kSiLU, "silu"},           {ops::Activation::kGELU, "gelu"},
      {ops::Activation::kGELUTanh, "gelu_tanh"},  {ops::Activation::kQuickGELU, "quick_gelu"}};
  for (const auto& [act, name] : acts) {
    // Scale 4 so relu6 saturates and the GELU tails are exercised; 4099 = vectors + tail.
    cases.push_back(OpCase{"activation", name, {{{3, 4099}, 4.0f}},
                           [act](const Inputs& in, const OpContext&) { return ops::activation(in[0], act); }});
    cases.push_back(OpCase{"gated_activation", name, {{{7, 129}}, {{7, 129}, 3.0f}},
                           [act](const Inputs& in, const OpContext&) {
                             return ops::gated_activation(in[0], in[1], act);
                           }});
  }
}

void add_random_cases(std::vector<OpCase>& cases) {
  // Philox noise must be bit-identical on CPU and CUDA (philox.h), in every dtype.
  cases.push_back(exact_case("random", "randn 3x1001", {}, [](const Inputs&, const OpContext& ctx) {
    return ops::randn({3, 1001}, ctx.seed, ctx.dtype, ctx.device);
  }));
  cases.push_back(exact_case("random", "randn 5 (partial group)", {}, [](const Inputs&, const OpContext& ctx) {
    return ops::randn({5}, ctx.seed, ctx.dtype, ctx.device);
  }));
  cases.push_back(exact_case("random", "rand 7x13", {}, [](const Inputs&, const OpContext& ctx) {
    return ops::rand({7, 13}, ctx.seed, ctx.dtype, ctx.device);
  }));
}

}  // namespace

void add_pointwise_cases(std::vector<OpCase>& cases) {
  add_copy_cases(cases);
  add_fill_cases(cases);
  add_binary_cases(cases);
  add_activation_cases(cases);
  add_random_cases(cases);
}

}  // namespace dc::test
