// The conv epilogue written ahead: y[e] = residual[e] + bias[channel(e)] over a range
// of y's elements, so that a convolution run with beta = 1 adds its product on top
// (one pass over y instead of a bias/residual pass after the convolution).
// channel(e) = (e / channel_stride) % channels: channel_stride 1 for NHWC, oh·ow for NCHW.
// Sums in f32, rounds once on store.
//
//   gpu::ConvPrefillParams f{y, residual, bias, dtype, 0, numel, c_out, 1, stream};
//   std::string e = gpu::conv_prefill(f);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

struct ConvPrefillParams {
  void* y = nullptr;
  const void* residual = nullptr;  // same layout as y, or null (then 0)
  const void* bias = nullptr;      // [channels], or null (then 0)
  DataType dtype = DataType::kF32;
  int64_t offset = 0, count = 0;   // elements [offset, offset + count) of y and residual
  int64_t channels = 1;
  int64_t channel_stride = 1;
  cudaStream_t stream = nullptr;
};

std::string conv_prefill(const ConvPrefillParams& p);

}  // namespace dc::gpu
