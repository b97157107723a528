// Device code of conv2d: bias broadcast, direct grouped convolution, im2col.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"

namespace dc::gpu::conv_kernel {

struct DirectShape {
  int64_t n, c_in, h, w, c_out, kh, kw, oh, ow, cin_g, cout_g;
  int stride, padding;
};

// y[b, c, :] = bias[c] for all planes (the GEMMs then accumulate onto it).
template <class T>
__global__ void bias_fill_kernel(T* __restrict__ y, const T* __restrict__ bias, int64_t planes, int64_t c_out,
                                 int64_t plane_size) {
  const int64_t total = planes * plane_size;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step)
    y[i] = bias[(i / plane_size) % c_out];
}

// One thread per output element; accumulates bias + Σ_{ci, ky, kx} in the
// CPU reference's order.
template <class T>
__global__ void direct_conv_kernel(T* __restrict__ y, const T* __restrict__ x, const T* __restrict__ weight,
                                   const T* __restrict__ bias, DirectShape s) {
  const int64_t total = s.n * s.c_out * s.oh * s.ow;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  const int64_t ksize = s.kh * s.kw;
  for (int64_t idx = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; idx < total; idx += step) {
    const int64_t ox = idx % s.ow;
    int64_t t = idx / s.ow;
    const int64_t oy = t % s.oh;
    t /= s.oh;
    const int64_t co = t % s.c_out;
    const int64_t b = t / s.c_out;
    const int64_t group = co / s.cout_g;
    const T* xg = x + (b * s.c_in + group * s.cin_g) * s.h * s.w;
    const T* wc = weight + co * s.cin_g * ksize;
    const int64_t iy0 = oy * s.stride - s.padding, ix0 = ox * s.stride - s.padding;
    float acc = bias ? to_f32(bias[co]) : 0.0f;
    for (int64_t ci = 0; ci < s.cin_g; ++ci) {
      const T* xc = xg + ci * s.h * s.w;
      const T* wk = wc + ci * ksize;
      for (int64_t ky = 0; ky < s.kh; ++ky) {
        const int64_t iy = iy0 + ky;
        if (iy < 0 || iy >= s.h) continue;
        for (int64_t kx = 0; kx < s.kw; ++kx) {
          const int64_t ix = ix0 + kx;
          if (ix < 0 || ix >= s.w) continue;
          acc += to_f32(xc[iy * s.w + ix]) * to_f32(wk[ky * s.kw + kx]);
        }
      }
    }
    y[idx] = from_f32<T>(acc);
  }
}

struct Im2colShape {
  int64_t cin_g, h, w, kh, kw, ow;
  int64_t oy0, rows;  // band of output rows [oy0, oy0 + rows)
  int stride, padding;
};

// col[r, j] (row-major, rows = cin_g*kh*kw, cols = rows_in_band*ow) = the input
// value under kernel tap r for output pixel j of the band (0 in the padding).
// Values are copied, not converted.
template <class T>
__global__ void im2col_kernel(T* __restrict__ col, const T* __restrict__ xg, Im2colShape s) {
  const int64_t cols = s.rows * s.ow;
  const int64_t total = s.cin_g * s.kh * s.kw * cols;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step) {
    const int64_t j = i % cols, r = i / cols;
    const int64_t kx = r % s.kw, ky = (r / s.kw) % s.kh, ci = r / (s.kw * s.kh);
    const int64_t oy = s.oy0 + j / s.ow, ox = j % s.ow;
    const int64_t iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
    const bool inside = iy >= 0 && iy < s.h && ix >= 0 && ix < s.w;
    col[i] = inside ? xg[(ci * s.h + iy) * s.w + ix] : T(0.0f);
  }
}

}  // namespace dc::gpu::conv_kernel
