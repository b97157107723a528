// Depthwise 2-D convolution in NHWC (channels-last), the form DC-AE's EfficientViT
// blocks use (3x3 in GLUMBConv, 5x5 in the multiscale projection): groups = c_in =
// c_out, any kernel size, stride and symmetric padding, f32/bf16/f16, f32 accumulation
// in the CPU reference's order: y = act(conv + bias + residual), one rounding.
// cuDNN's legacy API has no fast NHWC depthwise kernel (measured on H100: 118 ms for
// 4096 channels at 512², 20x PyTorch); this one is one pass over x and y.
//
// One thread computes 16 bytes of channels (8 bf16/f16, 4 f32) of one output pixel:
// consecutive threads take consecutive channel groups, so every tap is a coalesced
// row load, and the kernel's neighbouring taps hit L2. For stride 1 with 3x3 or 5x5
// taps (DC-AE's), a thread computes 4 consecutive output pixels of a row instead, so a
// tap row's loads are shared by the 4.
// 3x3 stride 1 padding 1 with 16-byte vectors (GLUMBConv's) goes through a shared-memory
// tile kernel instead: (TH + 2) x 10 input pixels x 32 vectors staged once per block,
// each warp walking one output column down the tile (1.2-1.5x the byte floor on H100).
// DC_DEPTHWISE=rows / pixel force the older kernels, DC_DEPTHWISE_TH=8 8-row tiles.
//
//   gpu::DepthwiseConvParams d;  // x, weight (RSC), bias, residual, y, sizes, stream
//   std::string e = gpu::depthwise_conv2d_nhwc(d);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu {

struct DepthwiseConvParams {
  const void* x = nullptr;         // NHWC [n, h, w, c]
  const void* weight = nullptr;    // RSC [kh, kw, c] (torch's [c, 1, kh, kw] transposed)
  const void* bias = nullptr;      // [c] or null
  const void* residual = nullptr;  // NHWC [n, oh, ow, c] or null
  void* y = nullptr;               // NHWC [n, oh, ow, c]
  DataType dtype = DataType::kF32;
  int64_t n = 0, c = 0, h = 0, w = 0;
  int64_t kh = 0, kw = 0, oh = 0, ow = 0;
  int stride = 1, padding = 0;
  ActivationKind act = ActivationKind::kIdentity;  // applied last, in f32
  cudaStream_t stream = nullptr;
};

bool depthwise_conv2d_nhwc_can_run(const DepthwiseConvParams& p, std::string* why);
std::string depthwise_conv2d_nhwc(const DepthwiseConvParams& p);

}  // namespace dc::gpu
