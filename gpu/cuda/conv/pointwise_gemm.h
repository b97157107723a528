// 1x1 convolution (stride 1, no padding) in NHWC as a GEMM on the pixel matrix, the
// route for channels-last 1x1 convs where cuBLASLt beats cuDNN's legacy API:
//
//   y[P, Cout] = act(x[P, Cin] · Wᵀ + bias + residual)        (P = n·h·w pixels)
//
// Grouped (groups g > 1): one strided-batched GEMM over the groups, read in place:
// group j multiplies the column slice x[:, j·Cin/g ..] (lda = Cin, batch stride Cin/g)
// by W_j [Cout/g, Cin/g] into y[:, j·Cout/g ..] (ldc = Cout). cuDNN runs DC-AE's
// multiscale grouped 1x1 (48 groups of 32) as implicit GEMM at 1.7x PyTorch's time.
//
// Epilogue: bias alone goes into cuBLASLt's bias epilogue (groups = 1); with a residual
// or groups > 1, y = residual + bias is written first (conv_prefill) and the product
// accumulated onto it (beta = 1); an activation is one in-place pass after.
// Numerics as gpu/cuda/gemm/gemm.h (f32 strict, bf16/f16 f32 accumulation).
//
// Which route a shape takes is the caller's choice (core/ops/cuda/conv.cpp times both
// on the first call per shape); pointwise_gemm_route() lets tests force one.
//
//   gpu::PointwiseGemmParams g;  // x, weight, bias, residual, y, sizes, workspace, stream
//   std::string e = gpu::pointwise_conv_gemm(g);
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu {

struct PointwiseGemmParams {
  const void* x = nullptr;         // NHWC [pixels, c_in]
  const void* weight = nullptr;    // [c_out, c_in / groups] (torch's [c_out, c_in/g, 1, 1])
  const void* bias = nullptr;      // [c_out] or null
  const void* residual = nullptr;  // NHWC [pixels, c_out] or null
  void* y = nullptr;               // NHWC [pixels, c_out]
  DataType dtype = DataType::kF32;
  int64_t pixels = 0, c_in = 0, c_out = 0;
  int groups = 1;
  ActivationKind act = ActivationKind::kIdentity;
  void* workspace = nullptr;  // gemm_workspace_bytes()
  size_t workspace_bytes = 0;
  cudaStream_t stream = nullptr;
};

bool pointwise_conv_gemm_can_run(const PointwiseGemmParams& p, std::string* why);
std::string pointwise_conv_gemm(const PointwiseGemmParams& p);

// Route for channels-last 1x1 convs: kTimed (default) lets the caller time cuDNN
// against the GEMM once per shape; the others force one (tests, A/B runs; the
// environment variable DC_CONV_POINTWISE=gemm|cudnn sets the starting value).
enum class PointwiseRoute { kTimed, kGemm, kCudnn };
PointwiseRoute pointwise_gemm_route();
void set_pointwise_gemm_route(PointwiseRoute route);

}  // namespace dc::gpu
