// conv_prefill: y = residual + bias, 16-byte vectors where alignment allows.
#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/conv/conv_prefill.h"

namespace dc::gpu {
namespace {

constexpr int kBlock = 256;

struct PrefillShape {
  int64_t offset, count, channels, channel_stride;
};

// N elements per thread step; N > 1 only when y/residual + offset are 16-byte aligned,
// count is a multiple of N, and (NCHW) a vector never straddles two channels.
template <class T, int N>
__global__ void prefill_kernel(T* __restrict__ y, const T* __restrict__ residual, const T* __restrict__ bias,
                               PrefillShape s) {
  const int64_t steps = s.count / N;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < steps; i += stride) {
    const int64_t e0 = s.offset + i * N;
    Vec<T, N> r;
    if (residual) r = *reinterpret_cast<const Vec<T, N>*>(residual + e0);
    // One division per vector: channels advance by one per element in NHWC
    // (channel_stride 1) and stay put within a vector otherwise (checked on the host).
    int64_t c = bias ? (e0 / s.channel_stride) % s.channels : 0;
    Vec<T, N> out;
#pragma unroll
    for (int j = 0; j < N; ++j) {
      float v = residual ? to_f32(r.v[j]) : 0.0f;
      if (bias) {
        v += to_f32(bias[c]);
        if (s.channel_stride == 1 && ++c == s.channels) c = 0;
      }
      out.v[j] = from_f32<T>(v);
    }
    *reinterpret_cast<Vec<T, N>*>(y + e0) = out;
  }
}

}  // namespace

std::string conv_prefill(const ConvPrefillParams& p) {
  if (p.count <= 0) return {};
  if (p.channels <= 0 || p.channel_stride <= 0) return "conv_prefill: channels and channel_stride must be positive";
  if (!p.residual && !p.bias) return "conv_prefill: neither residual nor bias";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int kN = kVec16<T>;
    const PrefillShape s{p.offset, p.count, p.channels, p.channel_stride};
    T* y = static_cast<T*>(p.y);
    const T* r = static_cast<const T*>(p.residual);
    const T* b = static_cast<const T*>(p.bias);
    const bool one_channel = p.channel_stride == 1 || (p.channel_stride % kN == 0 && p.offset % kN == 0);
    const bool vec = p.count % kN == 0 && one_channel && aligned16(y + p.offset) && (!r || aligned16(r + p.offset));
    if (vec) {
      prefill_kernel<T, kN><<<grid_for(p.count / kN, kBlock, 1 << 20), kBlock, 0, p.stream>>>(y, r, b, s);
    } else {
      prefill_kernel<T, 1><<<grid_for(p.count, kBlock, 1 << 20), kBlock, 0, p.stream>>>(y, r, b, s);
    }
    return launch_status("conv_prefill");
  });
}

}  // namespace dc::gpu
