// Device code of the resample family: output-indexed gathers (NCHW or NHWC),
// a pixel (un)shuffle that moves one f×f block per thread in NHWC, and the
// channel group mean. `Index` is uint32_t when every offset fits (cheaper
// division), else int64_t.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/resample/resample.h"

namespace dc::gpu::resample_kernel {

template <class Index>
struct Dims {
  Index n, c, h, w;  // input
  Index f;
};

// Input element read for output element `o` of a pure data movement, NCHW.
template <class I>
__device__ __forceinline__ I source_index(ResampleKind kind, I o, const Dims<I>& d) {
  switch (kind) {
    case ResampleKind::kPixelShuffle: {  // out [n, c/f², h*f, w*f]
      const I ow = d.w * d.f, oh = d.h * d.f, oc = d.c / (d.f * d.f);
      const I ox = o % ow, oy = (o / ow) % oh, nc = o / (ow * oh);
      const I ch = (nc % oc) * d.f * d.f + (oy % d.f) * d.f + ox % d.f, b = nc / oc;
      return ((b * d.c + ch) * d.h + oy / d.f) * d.w + ox / d.f;
    }
    case ResampleKind::kPixelUnshuffle: {  // out [n, c*f², h/f, w/f]
      const I ow = d.w / d.f, oh = d.h / d.f, oc = d.c * d.f * d.f;
      const I ox = o % ow, oy = (o / ow) % oh, nc = o / (ow * oh);
      const I co = nc % oc, b = nc / oc;
      const I ch = co / (d.f * d.f), i = (co / d.f) % d.f, j = co % d.f;
      return ((b * d.c + ch) * d.h + oy * d.f + i) * d.w + ox * d.f + j;
    }
    case ResampleKind::kUpsampleNearest: {  // out [n, c, h*f, w*f]
      const I ow = d.w * d.f, oh = d.h * d.f;
      const I ox = o % ow, oy = (o / ow) % oh, plane = o / (ow * oh);
      return (plane * d.h + oy / d.f) * d.w + ox / d.f;
    }
    case ResampleKind::kRepeatInterleave: {  // out [n, c*f, h, w]
      const I hw = d.h * d.w, oc = d.c * d.f;
      const I pix = o % hw, nc = o / hw;
      return ((nc / oc) * d.c + (nc % oc) / d.f) * hw + pix;
    }
    case ResampleKind::kChannelGroupMean:
    case ResampleKind::kAddShuffledShortcut: break;
  }
  return 0;
}

// The same for NHWC storage: output element `o` is (pixel, channel) = (o / oc, o % oc).
// (Pixel (un)shuffle take pixel_shuffle_nhwc_kernel instead.)
template <class I>
__device__ __forceinline__ I source_index_nhwc(ResampleKind kind, I o, const Dims<I>& d) {
  switch (kind) {
    case ResampleKind::kUpsampleNearest: {  // out [n, h*f, w*f, c]
      const I ow = d.w * d.f, oh = d.h * d.f;
      const I ch = o % d.c, pix = o / d.c;
      const I ox = pix % ow, oy = (pix / ow) % oh, b = pix / (ow * oh);
      return ((b * d.h + oy / d.f) * d.w + ox / d.f) * d.c + ch;
    }
    case ResampleKind::kRepeatInterleave: {  // out [n, h, w, c*f]
      const I oc = d.c * d.f;
      return (o / oc) * d.c + (o % oc) / d.f;
    }
    default: break;
  }
  return 0;
}

template <class U, class I, bool kChannelsLast>
__global__ void gather_kernel(U* __restrict__ out, const U* __restrict__ x, I total, ResampleKind kind, Dims<I> d) {
  const I step = static_cast<I>(gridDim.x) * blockDim.x;
  for (I o = static_cast<I>(blockIdx.x) * blockDim.x + threadIdx.x; o < total; o += step)
    out[o] = x[kChannelsLast ? source_index_nhwc(kind, o, d) : source_index(kind, o, d)];
}

// x[l] (+ the repeated shortcut value s[sl] when kShortcut) as stored in out.
template <class T, bool kShortcut>
__device__ __forceinline__ T moved(const T* x, const T* s, int64_t l, int64_t sl) {
  if constexpr (kShortcut) {
    return from_f32<T>(to_f32(x[l]) + to_f32(s[sl]));
  } else {
    return x[l];
  }
}

// NHWC pixel shuffle (kShuffle) or unshuffle between the low-resolution side
// [n, h, w, c·f²] and the high-resolution side [n, h·f, w·f, c]: thread t owns
// (low-res pixel t / c, channel t % c) and moves its f² elements, reading or
// writing them as one run of f² consecutive low-res channels c·f² + i·f + j,
// the high-res side at pixel (y·f + i, x·f + j). `work` = n·h·w·c; h, w low-res.
// With kShortcut (shuffle only), low-res channel k also adds s[pixel, k / rep]
// of the shortcut [n, h, w, c·f² / rep].
template <class T, class I, bool kShuffle, bool kShortcut>
__global__ void pixel_shuffle_nhwc_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ s,
                                          I work, I c, I h, I w, I f, I rep) {
  const I step = static_cast<I>(gridDim.x) * blockDim.x;
  const I ff = f * f, hi_row = w * f * c;  // elements per high-res row
  const I sc = kShortcut ? c * ff / rep : 0;
  for (I t = static_cast<I>(blockIdx.x) * blockDim.x + threadIdx.x; t < work; t += step) {
    const I ch = t % c, pix = t / c;
    const I px = pix % w, rest = pix / w, py = rest % h, b = rest / h;
    const I lo = pix * c * ff + ch * ff;
    const I hi = ((b * h + py) * f * w * f + px * f) * c + ch;
    for (I i = 0; i < f; ++i) {
      for (I j = 0; j < f; ++j) {
        const I l = lo + i * f + j, g = hi + i * hi_row + j * c;
        if (kShuffle) {
          out[g] = moved<T, kShortcut>(x, s, l, kShortcut ? pix * sc + (ch * ff + i * f + j) / rep : 0);
        } else {
          out[l] = x[g];
        }
      }
    }
  }
}

// NCHW pixel shuffle with the repeated shortcut of pixel_shuffle_nhwc_kernel
// ([n, c·f² / rep, h, w]); output-indexed like gather_kernel.
template <class T, class I>
__global__ void pixel_shuffle_shortcut_kernel(T* __restrict__ out, const T* __restrict__ x, const T* __restrict__ s,
                                              I total, Dims<I> d, I rep) {
  const I step = static_cast<I>(gridDim.x) * blockDim.x;
  const I hw = d.h * d.w, sc = d.c / rep;
  for (I o = static_cast<I>(blockIdx.x) * blockDim.x + threadIdx.x; o < total; o += step) {
    const I src = source_index(ResampleKind::kPixelShuffle, o, d);
    const I pix = src % hw, bc = src / hw;
    out[o] = moved<T, true>(x, s, src, ((bc / d.c) * sc + (bc % d.c) / rep) * hw + pix);
  }
}

// out = hi + pixel_shuffle(repeat_interleave(s, rep), f) over the high-res side
// [n, c, h, w] (d; NHWC when kChannelsLast): element (b, ch, y, x) adds
// s[b, (ch·f² + (y % f)·f + x % f) / rep, y / f, x / f] of s [n, c·f²/rep, h/f, w/f].
// V consecutive channels per thread in NHWC (V divides c, pointers aligned), else V = 1.
template <class T, class I, int V, bool kChannelsLast>
__global__ void add_shuffled_shortcut_kernel(T* __restrict__ out, const T* __restrict__ hi, const T* __restrict__ s,
                                             I count, Dims<I> d, I rep) {
  const I step = static_cast<I>(gridDim.x) * blockDim.x;
  const I ff = d.f * d.f, sc = d.c * ff / rep, hs = d.h / d.f, ws = d.w / d.f;
  for (I t = static_cast<I>(blockIdx.x) * blockDim.x + threadIdx.x; t < count; t += step) {
    const I o = t * V;
    I ch, x, y, b;
    if (kChannelsLast) {
      ch = o % d.c;
      const I pix = o / d.c;
      x = pix % d.w;
      y = (pix / d.w) % d.h;
      b = pix / (d.w * d.h);
    } else {
      x = o % d.w;
      y = (o / d.w) % d.h;
      const I bc = o / (d.w * d.h);
      ch = bc % d.c;
      b = bc / d.c;
    }
    const I sub = (y % d.f) * d.f + x % d.f;
    const Vec<T, V> hv = *reinterpret_cast<const Vec<T, V>*>(hi + o);
    Vec<T, V> ov;
#pragma unroll
    for (int k = 0; k < V; ++k) {
      const I sch = ((ch + k) * ff + sub) / rep;
      const I si = kChannelsLast ? ((b * hs + y / d.f) * ws + x / d.f) * sc + sch
                                 : ((b * sc + sch) * hs + y / d.f) * ws + x / d.f;
      ov.v[k] = from_f32<T>(to_f32(hv.v[k]) + to_f32(s[si]));
    }
    *reinterpret_cast<Vec<T, V>*>(out + o) = ov;
  }
}

// out[b, g, p] = (Σ_k x[b, g*f + k, p]) / f, summed in channel order in f32.
template <class T, bool kChannelsLast>
__global__ void channel_group_mean_kernel(T* __restrict__ out, const T* __restrict__ x, int64_t total,
                                          Dims<int64_t> d) {
  const int64_t hw = d.h * d.w, oc = d.c / d.f;
  const int64_t step = static_cast<int64_t>(gridDim.x) * blockDim.x;
  const float inv = static_cast<float>(d.f);
  for (int64_t o = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; o < total; o += step) {
    const T* src;
    int64_t k_stride;
    if (kChannelsLast) {  // o = pixel·oc + g
      src = x + (o / oc) * d.c + (o % oc) * d.f;
      k_stride = 1;
    } else {  // o = (b·oc + g)·hw + pixel
      const int64_t pix = o % hw, bg = o / hw;
      src = x + ((bg / oc) * d.c + (bg % oc) * d.f) * hw + pix;
      k_stride = hw;
    }
    float acc = 0.0f;
    for (int64_t k = 0; k < d.f; ++k) acc += to_f32(src[k * k_stride]);
    out[o] = from_f32<T>(acc / inv);
  }
}

}  // namespace dc::gpu::resample_kernel
