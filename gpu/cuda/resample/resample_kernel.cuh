// Device code of the resample family: output-indexed gathers.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/resample/resample.h"

namespace dc::gpu::resample_kernel {

struct Dims {
  int64_t n, c, h, w;  // input
  int64_t f;
};

// Input element read for output element `o` of a pure data movement.
__device__ __forceinline__ int64_t source_index(ResampleKind kind, int64_t o, const Dims& d) {
  switch (kind) {
    case ResampleKind::kPixelShuffle: {  // out [n, c/f², h*f, w*f]
      const int64_t ow = d.w * d.f, oh = d.h * d.f, oc = d.c / (d.f * d.f);
      const int64_t ox = o % ow, oy = (o / ow) % oh, nc = o / (ow * oh);
      const int64_t ch = (nc % oc) * d.f * d.f + (oy % d.f) * d.f + ox % d.f, b = nc / oc;
      return ((b * d.c + ch) * d.h + oy / d.f) * d.w + ox / d.f;
    }
    case ResampleKind::kPixelUnshuffle: {  // out [n, c*f², h/f, w/f]
      const int64_t ow = d.w / d.f, oh = d.h / d.f, oc = d.c * d.f * d.f;
      const int64_t ox = o % ow, oy = (o / ow) % oh, nc = o / (ow * oh);
      const int64_t co = nc % oc, b = nc / oc;
      const int64_t ch = co / (d.f * d.f), i = (co / d.f) % d.f, j = co % d.f;
      return ((b * d.c + ch) * d.h + oy * d.f + i) * d.w + ox * d.f + j;
    }
    case ResampleKind::kUpsampleNearest: {  // out [n, c, h*f, w*f]
      const int64_t ow = d.w * d.f, oh = d.h * d.f;
      const int64_t ox = o % ow, oy = (o / ow) % oh, plane = o / (ow * oh);
      return (plane * d.h + oy / d.f) * d.w + ox / d.f;
    }
    case ResampleKind::kRepeatInterleave: {  // out [n, c*f, h, w]
      const int64_t hw = d.h * d.w, oc = d.c * d.f;
      const int64_t pix = o % hw, nc = o / hw;
      return ((nc / oc) * d.c + (nc % oc) / d.f) * hw + pix;
    }
    case ResampleKind::kChannelGroupMean: break;
  }
  return 0;
}

template <class U>
__global__ void gather_kernel(U* __restrict__ out, const U* __restrict__ x, int64_t total, ResampleKind kind, Dims d) {
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t o = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; o < total; o += step)
    out[o] = x[source_index(kind, o, d)];
}

// out[b, g, p] = (Σ_k x[b, g*f + k, p]) / f, summed in channel order in f32.
template <class T>
__global__ void channel_group_mean_kernel(T* __restrict__ out, const T* __restrict__ x, int64_t total, Dims d) {
  const int64_t hw = d.h * d.w, oc = d.c / d.f;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  const float inv = static_cast<float>(d.f);
  for (int64_t o = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; o < total; o += step) {
    const int64_t pix = o % hw, bg = o / hw;
    const T* src = x + ((bg / oc) * d.c + (bg % oc) * d.f) * hw + pix;
    float acc = 0.0f;
    for (int64_t k = 0; k < d.f; ++k) acc += to_f32(src[k * hw]);
    out[o] = from_f32<T>(acc / inv);
  }
}

}  // namespace dc::gpu::resample_kernel
