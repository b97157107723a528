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

// 3x3, stride 1, padding 1 (DC-AE's GLUMBConv), 16-byte vectors: a block of 8 warps owns
// a tile of TH output rows x 8 output columns x 32 channel vectors (256 bf16 channels);
// it stages the (TH + 2) x 10 input pixels' vectors in shared memory with cp.async
// (zero-filled outside the image), then warp k walks output column k down the tile:
// each input row is 3 shared loads, converted once and added to the 3 output rows it
// feeds (rolling accumulators), so an output costs 3 shared loads and 24 conversions.
// Per output the sum runs in the reference's order (bias, ky, kx); the zero-filled
// taps add 0 * w (differs from skipping only for -0.0 and non-finite weights).
constexpr int kTileWarps = 8;   // = output columns per tile
constexpr int kTileLanes = 32;  // channel vectors per tile
constexpr int kTileCols = kTileWarps + 2;

__device__ __forceinline__ void cp_async16_zfill(void* smem, const void* src, bool valid) {
  const unsigned dst = static_cast<unsigned>(__cvta_generic_to_shared(smem));
  const int n = valid ? 16 : 0;
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(n) : "memory");
}

template <class T, int TH, int ACT>  // ACT: ActivationKind as int, or -1 for s.act at run time
__global__ void __launch_bounds__(kTileWarps * 32, 2)
    depthwise3x3_tile_kernel(T* __restrict__ y, const T* __restrict__ x, const T* __restrict__ weight,
                             const T* __restrict__ bias, const T* __restrict__ residual, DepthwiseShape s) {
  constexpr int V = kVec16<T>;
  using VT = Vec<T, V>;
  extern __shared__ uint4 tile_smem[];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int64_t groups = s.c / V;
  const int64_t runs = (groups + kTileLanes - 1) / kTileLanes;
  const int64_t tiles_x = (s.ow + kTileWarps - 1) / kTileWarps;
  const int64_t tiles_y = (s.oh + TH - 1) / TH;
  int64_t blk = blockIdx.x;
  const int64_t run = blk % runs;
  blk /= runs;
  const int64_t tx = blk % tiles_x;
  blk /= tiles_x;
  const int64_t ty = blk % tiles_y;
  const int64_t b = blk / tiles_y;
  const int64_t g = run * kTileLanes + lane;
  const bool active = g < groups;
  const int64_t c0 = g * V;
  const int64_t iy0 = ty * TH - 1, ix0 = tx * kTileWarps - 1;
  if (active) {
    const T* xb = x + b * s.h * s.w * s.c + c0;
    for (int i = warp; i < (TH + 2) * kTileCols; i += kTileWarps) {
      const int r = i / kTileCols, cc = i - r * kTileCols;
      const int64_t iy = iy0 + r, ix = ix0 + cc;
      const bool valid = iy >= 0 && iy < s.h && ix >= 0 && ix < s.w;
      cp_async16_zfill(&tile_smem[i * kTileLanes + lane], valid ? xb + (iy * s.w + ix) * s.c : xb, valid);
    }
  }
  asm volatile("cp.async.commit_group;\n" ::: "memory");
  // Weights and bias while the tile is in flight.
  float wf[9][V];
  if (active) {
#pragma unroll
    for (int k = 0; k < 9; ++k) {
      const VT wv = *reinterpret_cast<const VT*>(weight + k * s.c + c0);
#pragma unroll
      for (int j = 0; j < V; ++j) wf[k][j] = to_f32(wv.v[j]);
    }
  }
  asm volatile("cp.async.wait_all;\n" ::: "memory");
  __syncthreads();
  const int64_t ox = tx * kTileWarps + warp;
  if (!active || ox >= s.ow) return;
  const ActivationKind act = ACT < 0 ? s.act : static_cast<ActivationKind>(ACT);
  float acc[3][V];
#pragma unroll
  for (int r = 0; r < TH + 2; ++r) {
    float in[3][V];
#pragma unroll
    for (int k = 0; k < 3; ++k) {
      const uint4 raw = tile_smem[(r * kTileCols + warp + k) * kTileLanes + lane];
      const VT v = *reinterpret_cast<const VT*>(&raw);
#pragma unroll
      for (int j = 0; j < V; ++j) in[k][j] = to_f32(v.v[j]);
    }
    // Input row r feeds output rows r (ky = 0), r - 1 (ky = 1), r - 2 (ky = 2), in that order.
    if (r < TH) {
      if (bias) {  // re-read (an L1 hit) rather than held: registers are tight
        const VT bv = *reinterpret_cast<const VT*>(bias + c0);
#pragma unroll
        for (int j = 0; j < V; ++j) acc[r % 3][j] = to_f32(bv.v[j]);
      } else {
#pragma unroll
        for (int j = 0; j < V; ++j) acc[r % 3][j] = 0.0f;
      }
#pragma unroll
      for (int k = 0; k < 3; ++k)
#pragma unroll
        for (int j = 0; j < V; ++j) acc[r % 3][j] += in[k][j] * wf[k][j];
    }
    if (r >= 1 && r - 1 < TH) {
#pragma unroll
      for (int k = 0; k < 3; ++k)
#pragma unroll
        for (int j = 0; j < V; ++j) acc[(r + 2) % 3][j] += in[k][j] * wf[3 + k][j];
    }
    if (r >= 2) {
      const int o = r - 2;
#pragma unroll
      for (int k = 0; k < 3; ++k)
#pragma unroll
        for (int j = 0; j < V; ++j) acc[(r + 1) % 3][j] += in[k][j] * wf[6 + k][j];
      const int64_t oy = ty * TH + o;
      if (oy < s.oh) {
        const int64_t out = ((b * s.oh + oy) * s.ow + ox) * s.c + c0;
        if (residual) {
          const VT rv = *reinterpret_cast<const VT*>(residual + out);
#pragma unroll
          for (int j = 0; j < V; ++j) acc[(r + 1) % 3][j] += to_f32(rv.v[j]);
        }
        VT yv;
#pragma unroll
        for (int j = 0; j < V; ++j) yv.v[j] = from_f32<T>(elementwise_kernel::activate(act, acc[(r + 1) % 3][j]));
        __stcs(reinterpret_cast<uint4*>(y + out), *reinterpret_cast<const uint4*>(&yv));
      }
    }
  }
}

template <class T, int TH, int ACT>
std::string launch_tile(T* y, const T* x, const T* w, const T* b, const T* r, const DepthwiseShape& s,
                        cudaStream_t stream) {
  constexpr int smem = (TH + 2) * kTileCols * kTileLanes * 16;
  static const cudaError_t attr = cudaFuncSetAttribute(depthwise3x3_tile_kernel<T, TH, ACT>,
                                                       cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
  if (attr != cudaSuccess) return cuda_status(attr, "depthwise3x3_tile_kernel attribute");
  const int64_t groups = s.c / kVec16<T>;
  const int64_t blocks = (groups + kTileLanes - 1) / kTileLanes * ((s.ow + kTileWarps - 1) / kTileWarps) *
                         ((s.oh + TH - 1) / TH) * s.n;
  if (blocks > 0x7fffffff) return "depthwise3x3_tile_kernel: grid too large";
  depthwise3x3_tile_kernel<T, TH, ACT>
      <<<static_cast<unsigned>(blocks), kTileWarps * 32, smem, stream>>>(y, x, w, b, r, s);
  return launch_status("depthwise3x3_tile_kernel");
}

template <class T, int TH>
std::string launch_tile_act(T* y, const T* x, const T* w, const T* b, const T* r, const DepthwiseShape& s,
                            cudaStream_t stream) {
  switch (s.act) {
    case ActivationKind::kIdentity:
      return launch_tile<T, TH, static_cast<int>(ActivationKind::kIdentity)>(y, x, w, b, r, s, stream);
    case ActivationKind::kReLU:
      return launch_tile<T, TH, static_cast<int>(ActivationKind::kReLU)>(y, x, w, b, r, s, stream);
    case ActivationKind::kSiLU:
      return launch_tile<T, TH, static_cast<int>(ActivationKind::kSiLU)>(y, x, w, b, r, s, stream);
    default: return launch_tile<T, TH, -1>(y, x, w, b, r, s, stream);
  }
}

// DC_DEPTHWISE=pixel keeps the one-pixel kernel for every shape, =rows the rows kernel
// where it applies (A/B measurements); DC_DEPTHWISE_TH=8 picks 8-row tiles (default 16).
int depthwise_mode() {  // 0: tile, 1: rows, 2: pixel
  static const int mode = [] {
    const char* v = std::getenv("DC_DEPTHWISE");
    if (v && std::strcmp(v, "pixel") == 0) return 2;
    if (v && std::strcmp(v, "rows") == 0) return 1;
    return 0;
  }();
  return mode;
}

int tile_rows() {
  static const int th = [] {
    const char* v = std::getenv("DC_DEPTHWISE_TH");
    return v && std::strcmp(v, "8") == 0 ? 8 : 16;
  }();
  return th;
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
    if (vec && p.stride == 1 && p.padding == 1 && p.kh == 3 && p.kw == 3 && depthwise_mode() == 0) {
      return tile_rows() == 8 ? launch_tile_act<T, 8>(y, x, w, b, r, s, p.stream)
                              : launch_tile_act<T, 16>(y, x, w, b, r, s, p.stream);
    }
    if (vec && p.stride == 1 && p.kh == p.kw && (p.kh == 3 || p.kh == 5) && depthwise_mode() <= 1) {
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
