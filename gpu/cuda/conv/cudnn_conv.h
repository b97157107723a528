// 2-D convolution through cuDNN, NCHW or NHWC (PyTorch channels_last), f32/bf16/f16,
// any groups, stride and symmetric padding, as torch.nn.functional.conv2d:
//
//   y = act(conv(x, w) + bias[c] + residual)      (bias, residual, act optional)
//
// Numerics: bf16/f16 use tensor cores with f32 accumulation; f32 runs FMA-only kernels
// (never TF32), so f32 stays within 1e-4 rel-L2 of the CPU reference.
//
// Weights: w is [c_out, c_in/groups, kh, kw] in memory order KCRS for NCHW, and KRSC
// (= [c_out, kh, kw, c_in/groups], cuDNN's NHWC filter) for NHWC. The two are the
// same bytes for 1x1 and depthwise (c_in/groups = 1) convolutions; for the others the
// caller repacks (core/ops/cuda/conv.cpp does it per call: a ≤ 19 MB strided copy).
//
// Plans: per sub-problem shape/layout/dtype/alignment the algorithm is chosen once by
// cudnnFindConvolutionForwardAlgorithmEx on the caller's buffers (FMA-only results for
// f32) and cached for the process; bias and residual are applied either by prefilling
// y = residual + bias and accumulating the convolution onto it (beta = 1), or by
// cudnnConvolutionBiasActivationForward (identity activation, implicit precomputed
// GEMM), whichever measured faster when the plan was made (DC_CUDNN_EPILOGUE=prefill
// or =fused forces one). The activation: ReLU inside the fused epilogue (cuDNN's only
// fused one besides identity); otherwise, and after the prefill epilogue, one in-place
// pointwise pass over y (timed as part of each candidate).
//
// Tensors past cuDNN's 2^31-element limit (NHWC only; e.g. 128 channels at 4096²) run
// as several calls: the image's rows are cut into equal folds convolved as a batch,
// then the rows next to each cut are recomputed from their real neighbours.
//
//   gpu::CudnnConv2dParams p;  // pointers, sizes, options, stream
//   size_t ws = 0; bool ok = true;
//   std::string e = gpu::cudnn_conv2d_workspace_bytes(p, &ws, &ok);
//   p.workspace = alloc(ws); p.workspace_bytes = ws;
//   e = gpu::cudnn_conv2d(p, &ok);  // first call per shape also chooses and caches the plan
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu {

enum class ConvLayout : uint8_t { kNCHW, kNHWC };

struct CudnnConv2dParams {
  const void* x = nullptr;         // [n, c_in, h, w] in `layout`
  const void* weight = nullptr;    // KCRS (NCHW) or KRSC (NHWC), see above
  const void* bias = nullptr;      // [c_out] or null
  const void* residual = nullptr;  // like y, or null
  void* y = nullptr;               // [n, c_out, oh, ow] in `layout`
  DataType dtype = DataType::kF32;
  ConvLayout layout = ConvLayout::kNCHW;
  int64_t n = 0, c_in = 0, h = 0, w = 0;
  int64_t c_out = 0, kh = 0, kw = 0;
  int64_t oh = 0, ow = 0;
  int stride = 1, padding = 0, groups = 1;
  ActivationKind act = ActivationKind::kIdentity;  // applied last
  void* workspace = nullptr;  // cudnn_conv2d_workspace_bytes() bytes
  size_t workspace_bytes = 0;
  cudaStream_t stream = nullptr;
};

// Workspace cuDNN may use while choosing a plan (FindEx skips algorithms needing more).
constexpr size_t kCudnnSelectWorkspaceBytes = size_t{256} << 20;

// Shapes and options cuDNN can take here (with the reason when not): dtype, groups,
// sizes that fit int32, and, past 2^31 elements, NHWC with a row split that fits.
bool cudnn_conv2d_can_run(const CudnnConv2dParams& p, std::string* why);

// Bytes of workspace cudnn_conv2d needs: the cached plans' need, or
// kCudnnSelectWorkspaceBytes while a plan for this shape has yet to be chosen.
// *supported = false when cudnn_conv2d_can_run says no or cuDNN has no algorithm
// for the shape (found out by an earlier cudnn_conv2d).
std::string cudnn_conv2d_workspace_bytes(const CudnnConv2dParams& p, size_t* bytes, bool* supported);

// Runs the convolution ("" on success). On the first call for a shape, chooses the plan
// by running candidates on p's buffers (y is overwritten, then computed). When cuDNN
// has no algorithm for the shape, returns "" with *supported = false and y unspecified
// (the caller computes it another way). `summary` (optional) receives the plan in words.
std::string cudnn_conv2d(const CudnnConv2dParams& p, bool* supported, std::string* summary = nullptr);

// Test hook: lowers the per-call element limit (0 restores 2^31 - 1), so that small
// problems take the fold-and-seam path.
void cudnn_conv2d_set_max_elements_for_testing(int64_t elements);

// The cuDNN version linked (e.g. 91900), for logs.
size_t cudnn_version();

}  // namespace dc::gpu
