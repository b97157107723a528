// depthwise_conv2d_nhwc: see depthwise_nhwc.h.
#include <cstdlib>
#include <cstring>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/conv/depthwise_nhwc.h"
#include "gpu/cuda/elementwise/elementwise_kernel.cuh"

namespace dc::gpu {
namespace {

constexpr int kBlock = 256;

struct DepthwiseShape {
  int64_t n, c, h, w, kh, kw, oh, ow;
  int stride, padding;
  ActivationKind act;
};

// V channels of one output pixel per thread step; V > 1 only when c % V == 0 and every
// pointer is 16-byte aligned (checked on the host).
template <class T, int V>
__global__ void depthwise_nhwc_kernel(T* __restrict__ y, const T* __restrict__ x, const T* __restrict__ weight,
                                      const T* __restrict__ bias, const T* __restrict__ residual, DepthwiseShape s) {
  const int64_t groups = s.c / V;
  const int64_t total = s.n * s.oh * s.ow * groups;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; t < total; t += step) {
    const int64_t c0 = (t % groups) * V;
    int64_t pixel = t / groups;  // (b, oy, ox) flattened
    const int64_t ox = pixel % s.ow;
    const int64_t oy = (pixel / s.ow) % s.oh;
    const int64_t b = pixel / (s.ow * s.oh);
    float acc[V];
    if (bias) {
      const Vec<T, V> bv = *reinterpret_cast<const Vec<T, V>*>(bias + c0);
#pragma unroll
      for (int j = 0; j < V; ++j) acc[j] = to_f32(bv.v[j]);
    } else {
#pragma unroll
      for (int j = 0; j < V; ++j) acc[j] = 0.0f;
    }
    const int64_t iy0 = oy * s.stride - s.padding, ix0 = ox * s.stride - s.padding;
    for (int64_t ky = 0; ky < s.kh; ++ky) {
      const int64_t iy = iy0 + ky;
      if (iy < 0 || iy >= s.h) continue;
      const T* xrow = x + ((b * s.h + iy) * s.w) * s.c + c0;
      const T* wrow = weight + ky * s.kw * s.c + c0;
      for (int64_t kx = 0; kx < s.kw; ++kx) {
        const int64_t ix = ix0 + kx;
        if (ix < 0 || ix >= s.w) continue;
        const Vec<T, V> xv = *reinterpret_cast<const Vec<T, V>*>(xrow + ix * s.c);
        const Vec<T, V> wv = *reinterpret_cast<const Vec<T, V>*>(wrow + kx * s.c);
#pragma unroll
        for (int j = 0; j < V; ++j) acc[j] += to_f32(xv.v[j]) * to_f32(wv.v[j]);
      }
    }
    const int64_t out = pixel * s.c + c0;
    if (residual) {
      const Vec<T, V> rv = *reinterpret_cast<const Vec<T, V>*>(residual + out);
#pragma unroll
      for (int j = 0; j < V; ++j) acc[j] += to_f32(rv.v[j]);
    }
    Vec<T, V> yv;
#pragma unroll
    for (int j = 0; j < V; ++j) yv.v[j] = from_f32<T>(elementwise_kernel::activate(s.act, acc[j]));
    *reinterpret_cast<Vec<T, V>*>(y + out) = yv;
  }
}

// Stride 1, K x K taps known at compile time: one thread computes PX consecutive output
// pixels of a row for its V channels, so a tap row is PX + K - 1 vector loads shared
// by the PX outputs instead of K per output (5x5: 2 loads per output-row instead of 5
// at PX = 4). Per output the sum runs in the same order as depthwise_nhwc_kernel.
template <class T, int V, int K, int PX>
__global__ void depthwise_nhwc_rows_kernel(T* __restrict__ y, const T* __restrict__ x, const T* __restrict__ weight,
                                           const T* __restrict__ bias, const T* __restrict__ residual,
                                           DepthwiseShape s) {
  const int64_t groups = s.c / V;
  const int64_t blocks_x = (s.ow + PX - 1) / PX;
  const int64_t total = s.n * s.oh * blocks_x * groups;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t t = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; t < total; t += step) {
    const int64_t c0 = (t % groups) * V;
    const int64_t rest = t / groups;
    const int64_t ox0 = (rest % blocks_x) * PX;
    const int64_t oy = (rest / blocks_x) % s.oh;
    const int64_t b = rest / (blocks_x * s.oh);
    float acc[PX][V];
    {
      float init[V];
      if (bias) {
        const Vec<T, V> bv = *reinterpret_cast<const Vec<T, V>*>(bias + c0);
#pragma unroll
        for (int j = 0; j < V; ++j) init[j] = to_f32(bv.v[j]);
      } else {
#pragma unroll
        for (int j = 0; j < V; ++j) init[j] = 0.0f;
      }
#pragma unroll
      for (int q = 0; q < PX; ++q)
#pragma unroll
        for (int j = 0; j < V; ++j) acc[q][j] = init[j];
    }
    const int64_t ix0 = ox0 - s.padding;
#pragma unroll 1
    for (int ky = 0; ky < K; ++ky) {
      const int64_t iy = oy - s.padding + ky;
      if (iy < 0 || iy >= s.h) continue;
      const T* xrow = x + ((b * s.h + iy) * s.w) * s.c + c0;
      Vec<T, V> in[PX + K - 1];
#pragma unroll
      for (int i = 0; i < PX + K - 1; ++i) {
        const int64_t ix = ix0 + i;
        if (ix >= 0 && ix < s.w) {
          in[i] = *reinterpret_cast<const Vec<T, V>*>(xrow + ix * s.c);
        } else {
#pragma unroll
          for (int j = 0; j < V; ++j) in[i].v[j] = from_f32<T>(0.0f);
        }
      }
      const T* wrow = weight + ky * K * s.c + c0;
#pragma unroll
      for (int kx = 0; kx < K; ++kx) {
        const Vec<T, V> wv = *reinterpret_cast<const Vec<T, V>*>(wrow + kx * s.c);
#pragma unroll
        for (int q = 0; q < PX; ++q) {
          // Taps left or right of the image: skipped, as the reference skips them
          // (adding the zero would differ only for -0.0 and non-finite weights).
          const int64_t ix = ix0 + q + kx;
          if (ix < 0 || ix >= s.w) continue;
#pragma unroll
          for (int j = 0; j < V; ++j) acc[q][j] += to_f32(in[q + kx].v[j]) * to_f32(wv.v[j]);
        }
      }
    }
#pragma unroll
    for (int q = 0; q < PX; ++q) {
      if (ox0 + q >= s.ow) break;
      const int64_t out = ((b * s.oh + oy) * s.ow + ox0 + q) * s.c + c0;
      if (residual) {
        const Vec<T, V> rv = *reinterpret_cast<const Vec<T, V>*>(residual + out);
#pragma unroll
        for (int j = 0; j < V; ++j) acc[q][j] += to_f32(rv.v[j]);
      }
      Vec<T, V> yv;
#pragma unroll
      for (int j = 0; j < V; ++j) yv.v[j] = from_f32<T>(elementwise_kernel::activate(s.act, acc[q][j]));
      *reinterpret_cast<Vec<T, V>*>(y + out) = yv;
    }
  }
}

// DC_DEPTHWISE=pixel keeps the one-pixel kernel for every shape (A/B measurements).
bool rows_kernel_allowed() {
  static const bool allowed = [] {
    const char* v = std::getenv("DC_DEPTHWISE");
    return !(v && std::strcmp(v, "pixel") == 0);
  }();
  return allowed;
}

}  // namespace

bool depthwise_conv2d_nhwc_can_run(const DepthwiseConvParams& p, std::string* why) {
  auto fail = [why](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (!is_activation_type(p.dtype)) return fail("dtype not supported (f32, bf16, f16 are)");
  if (p.c < 1 || p.kh < 1 || p.kw < 1 || p.stride < 1 || p.padding < 0) return fail("invalid shape or options");
  if (p.oh != (p.h + 2 * p.padding - p.kh) / p.stride + 1 || p.ow != (p.w + 2 * p.padding - p.kw) / p.stride + 1)
    return fail("output size does not match input, kernel, stride and padding");
  return true;
}

std::string depthwise_conv2d_nhwc(const DepthwiseConvParams& p) {
  std::string why;
  if (!depthwise_conv2d_nhwc_can_run(p, &why)) return "depthwise_conv2d_nhwc: " + why;
  if (p.n == 0 || p.oh <= 0 || p.ow <= 0) return {};
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int kV = kVec16<T>;
    const DepthwiseShape s{p.n, p.c, p.h, p.w, p.kh, p.kw, p.oh, p.ow, p.stride, p.padding, p.act};
    T* y = static_cast<T*>(p.y);
    const T* x = static_cast<const T*>(p.x);
    const T* w = static_cast<const T*>(p.weight);
    const T* b = static_cast<const T*>(p.bias);
    const T* r = static_cast<const T*>(p.residual);
    const bool vec = p.c % kV == 0 && aligned16(y) && aligned16(x) && aligned16(w) && (!b || aligned16(b)) &&
                     (!r || aligned16(r));
    const int64_t pixels = p.n * p.oh * p.ow;
    constexpr int kPX = 4;
    const int64_t row_threads = p.n * p.oh * ((p.ow + kPX - 1) / kPX) * (p.c / kV);
    if (vec && p.stride == 1 && p.kh == p.kw && (p.kh == 3 || p.kh == 5) && rows_kernel_allowed()) {
      if (p.kh == 3) {
        depthwise_nhwc_rows_kernel<T, kV, 3, kPX><<<grid_for(row_threads, kBlock, 1 << 20), kBlock, 0, p.stream>>>(
            y, x, w, b, r, s);
      } else {
        depthwise_nhwc_rows_kernel<T, kV, 5, kPX><<<grid_for(row_threads, kBlock, 1 << 20), kBlock, 0, p.stream>>>(
            y, x, w, b, r, s);
      }
    } else if (vec) {
      depthwise_nhwc_kernel<T, kV><<<grid_for(pixels * (p.c / kV), kBlock, 1 << 20), kBlock, 0, p.stream>>>(
          y, x, w, b, r, s);
    } else {
      depthwise_nhwc_kernel<T, 1><<<grid_for(pixels * p.c, kBlock, 1 << 20), kBlock, 0, p.stream>>>(y, x, w, b, r, s);
    }
    return launch_status("depthwise_nhwc_kernel");
  });
}

}  // namespace dc::gpu
