// The op parity registry (test-backend-ops style, STYLE.md conventions 4-5).
// One OpCase = one public op call with named input shapes; the runner
// (ops_parity_gpu.cpp) draws fresh random inputs per run, runs the case on the
// CPU reference and on CUDA, and compares.
//
//   cases.push_back(OpCase{"rms_norm", "rows 7x33 w b", {{{7, 33}}, {{33}}, {{33}}},
//                          [](const Inputs& in, const OpContext&) {
//                            return ops::rms_norm(in[0], in[1], in[2], 1e-6f);
//                          }});
//
// Tolerances (rel-L2 of the CUDA result against the CPU result on the same
// inputs), and why:
//   exact (0)      pure data movement, dtype casts and Philox draws: both sides
//                  copy bits or round the same f32 value once (RNE), so any
//                  difference is a bug.
//   f32 1e-5       pointwise ops and norms: same formula, f32 arithmetic; the only
//                  differences are FMA contraction, library exp/erf/tanh (≤ 2 ulp)
//                  and reduction order over ≤ ~10⁴ terms (error ~ √n · 2⁻²⁴ ≈ 6e-6
//                  worst case, far less in rel-L2).
//   f32 1e-4       GEMM, conv and linear attention: long reductions whose order
//                  differs (cuBLASLt tiling/split-K vs OpenBLAS, split N sums vs
//                  the CPU's f64 sums); rel-L2 grows like √K · 2⁻²⁴ ≈ 2e-6 for
//                  K ≈ 600 and stays below 1e-4 by a wide margin. TF32 (10-bit
//                  mantissa, ≈ 5e-4) would fail it, which is the point.
//   bf16/f16 1e-2  both sides start from the same rounded inputs, compute in f32
//                  and round once; results differ only where the f32 values fall
//                  on different sides of a rounding boundary, by one ulp
//                  (bf16 2⁻⁸ ≈ 3.9e-3, f16 2⁻¹¹ relative), so even if every
//                  element flipped, rel-L2 would stay ≤ 3.9e-3 < 1e-2.
//   bf16/f16 also  flash-attention style: against the CPU result in f32 on the
//                  same rounded inputs, our error must be ≤ 2 × the CPU
//                  low-precision result's own error + 1e-5 (k and the measured
//                  ratio are printed).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor/tensor.h"

namespace dc::test {

// How one input is drawn: randn (or rand) * scale + offset in f32, then cast to
// `dtype` (default: the dtype under test).
struct InputSpec {
  Shape shape;
  float scale = 1.0f;
  float offset = 0.0f;
  bool uniform = false;
  std::optional<DType> dtype;
};

struct OpContext {
  Device device;
  DType dtype = DType::kF32;  // the dtype under test
  uint64_t seed = 0;          // for ops that draw (randn/rand); fresh per run, same on both devices
};

using Inputs = std::vector<Tensor>;
using OpFn = std::function<Tensor(const Inputs& inputs, const OpContext& ctx)>;

enum class Check {
  kNumeric,  // f32 ≤ f32_tolerance, bf16/f16 ≤ 1e-2 and the f32-reference ratio
  kExact,    // bit-exact on every dtype
};

struct OpCase {
  std::string op;       // the backend function covered, e.g. "conv2d"
  std::string variant;  // what this instance exercises: "3x3 s2 p1 no bias"
  std::vector<InputSpec> inputs;
  OpFn run;
  Check check = Check::kNumeric;
  double f32_tolerance = 1e-5;
  std::vector<DType> dtypes = {DType::kF32, DType::kBF16, DType::kF16};

  // "conv2d[3x3 s2 p1 no bias] bf16 inputs [1, 8, 11, 10] [4, 8, 3, 3]"
  std::string describe(DType dtype) const;
  double tolerance(DType dtype) const;
};

// A builder for the common numeric case, with the tolerance for long reductions.
OpCase reduction_case(std::string op, std::string variant, std::vector<InputSpec> inputs, OpFn run);
OpCase exact_case(std::string op, std::string variant, std::vector<InputSpec> inputs, OpFn run);

// Every registered case (op_cases_gpu.cpp and its siblings).
std::vector<OpCase> all_op_cases();
void add_pointwise_cases(std::vector<OpCase>& cases);  // copy, fill, binary, activations, random
void add_dense_cases(std::vector<OpCase>& cases);      // gemm, conv, linear attention
void add_spatial_cases(std::vector<OpCase>& cases);    // norms, resample
void add_channels_last_cases(std::vector<OpCase>& cases);  // channels-last inputs and fused epilogues
void add_transformer_cases(std::vector<OpCase>& cases);  // attention, embedding, rope, modulation
void add_flux_fusion_cases(std::vector<OpCase>& cases);   // linear_into, in-place transformer ops, timestep features

}  // namespace dc::test
