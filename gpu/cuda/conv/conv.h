// 2-D convolution, NCHW, as torch.nn.functional.conv2d (zero padding,
// cross-correlation), f32 accumulation. Three algorithms, picked by shape:
//   kPointwiseGemm  1x1, stride 1, padding 0, any groups: per image one
//                   cuBLASLt GEMM batched over groups, Y_g[Cout/g, HW] = W_g · X_g.
//   kDirect         groups > 1 with few input channels per group (depthwise,
//                   small grouped 3x3/5x5): one thread per output element.
//   kIm2colGemm     everything else: im2col of a band of output rows into the
//                   caller's scratch (≤ kConvScratchLimit bytes), then GEMM,
//                   per image, group and band.
// A bias is written into Y first and the GEMMs accumulate onto it (beta = 1),
// saving a pass over Y. For bf16/f16 some cuBLASLt algorithms round the product
// before adding C, so the output may be rounded twice (measured on H100: 1.4x
// the single-rounding error on a 64->64 3x3 conv; still within one ulp).
//
//   gpu::Conv2dParams c;  // pointers, sizes, options, stream
//   c.scratch = alloc(gpu::conv2d_scratch_bytes(c));   // the caller owns all memory
//   c.gemm_workspace = alloc(gpu::gemm_workspace_bytes()); c.gemm_workspace_bytes = ...;
//   std::string e = gpu::conv2d(c);
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

constexpr size_t kConvScratchLimit = size_t{256} << 20;
constexpr int64_t kConvDirectMaxChannelsPerGroup = 16;

struct Conv2dParams {
  const void* x = nullptr;       // [n, c_in, h, w]
  const void* weight = nullptr;  // [c_out, c_in / groups, kh, kw]
  const void* bias = nullptr;    // [c_out] or null
  void* y = nullptr;             // [n, c_out, oh, ow]
  DataType dtype = DataType::kF32;
  int64_t n = 0, c_in = 0, h = 0, w = 0;
  int64_t c_out = 0, kh = 0, kw = 0;
  int64_t oh = 0, ow = 0;
  int stride = 1, padding = 0, groups = 1;
  void* scratch = nullptr;  // conv2d_scratch_bytes(*this) bytes (im2col only)
  size_t scratch_bytes = 0;
  void* gemm_workspace = nullptr;
  size_t gemm_workspace_bytes = 0;
  cudaStream_t stream = nullptr;
};

enum class Conv2dAlgo { kPointwiseGemm, kDirect, kIm2colGemm };

Conv2dAlgo conv2d_algo(const Conv2dParams& p);
size_t conv2d_scratch_bytes(const Conv2dParams& p);
bool conv2d_can_run(const Conv2dParams& p, std::string* why);
std::string conv2d(const Conv2dParams& p);

}  // namespace dc::gpu
