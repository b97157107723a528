// conv2d: algorithm choice, bias prefill, and the GEMM-based paths.
#include <algorithm>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/conv/conv.h"
#include "gpu/cuda/conv/conv_shape.h"
#include "gpu/cuda/conv/conv_kernel.cuh"
#include "gpu/cuda/gemm/gemm.h"

namespace dc::gpu {
namespace {

constexpr int kBlock = 256;
namespace ck = conv_kernel;

int64_t im2col_rows(const Conv2dParams& p) { return (p.c_in / p.groups) * p.kh * p.kw; }

// Output rows per im2col band so that the band's columns fit the scratch limit.
int64_t band_rows(const Conv2dParams& p) {
  const int64_t bytes_per_row = im2col_rows(p) * p.ow * data_type_bytes(p.dtype);
  const int64_t rows = static_cast<int64_t>(kConvScratchLimit) / std::max<int64_t>(bytes_per_row, 1);
  return std::clamp<int64_t>(rows, 1, p.oh);
}

char* offset(void* base, int64_t elements, DataType t) {
  return static_cast<char*>(base) + elements * data_type_bytes(t);
}
const char* offset(const void* base, int64_t elements, DataType t) {
  return static_cast<const char*>(base) + elements * data_type_bytes(t);
}

GemmParams gemm_base(const Conv2dParams& p, float beta) {
  GemmParams g;
  g.dtype = p.dtype;
  g.beta = beta;
  g.workspace = p.gemm_workspace;
  g.workspace_bytes = p.gemm_workspace_bytes;
  g.stream = p.stream;
  return g;
}

std::string pointwise_gemm(const Conv2dParams& p, float beta) {
  const int64_t cin_g = p.c_in / p.groups, cout_g = p.c_out / p.groups, hw = p.h * p.w;
  for (int64_t b = 0; b < p.n; ++b) {
    GemmParams g = gemm_base(p, beta);
    g.a = p.weight;  // W_g [cout_g, cin_g]
    g.lda = cin_g;
    g.batch_stride_a = cout_g * cin_g;
    g.b = offset(p.x, b * p.c_in * hw, p.dtype);  // X_g [cin_g, hw]
    g.ldb = hw;
    g.batch_stride_b = cin_g * hw;
    g.c = offset(p.y, b * p.c_out * hw, p.dtype);  // Y_g [cout_g, hw]
    g.ldc = hw;
    g.batch_stride_c = cout_g * hw;
    g.m = cout_g, g.n = hw, g.k = cin_g;
    g.batch = p.groups;
    DC_GPU_TRY(gemm(g));
  }
  return {};
}

template <class T>
std::string im2col_gemm(const Conv2dParams& p, float beta) {
  const int64_t cin_g = p.c_in / p.groups, cout_g = p.c_out / p.groups, krows = im2col_rows(p);
  const int64_t band = band_rows(p);
  T* col = static_cast<T*>(p.scratch);
  for (int64_t b = 0; b < p.n; ++b) {
    for (int64_t grp = 0; grp < p.groups; ++grp) {
      const T* xg = static_cast<const T*>(p.x) + (b * p.c_in + grp * cin_g) * p.h * p.w;
      for (int64_t oy0 = 0; oy0 < p.oh; oy0 += band) {
        const int64_t rows = std::min(band, p.oh - oy0);
        const ck::Im2colShape s{cin_g, p.h, p.w, p.kh, p.kw, p.ow, oy0, rows, p.stride, p.padding};
        ck::im2col_kernel<T><<<grid_for(krows * rows * p.ow, kBlock), kBlock, 0, p.stream>>>(col, xg, s);
        DC_GPU_TRY(launch_status("im2col_kernel"));
        GemmParams g = gemm_base(p, beta);
        g.a = offset(p.weight, grp * cout_g * krows, p.dtype);  // W_g [cout_g, krows]
        g.lda = krows;
        g.b = col;  // [krows, rows * ow]
        g.ldb = rows * p.ow;
        g.c = offset(p.y, ((b * p.c_out + grp * cout_g) * p.oh + oy0) * p.ow, p.dtype);  // [cout_g, rows*ow] of Y
        g.ldc = p.oh * p.ow;
        g.m = cout_g, g.n = rows * p.ow, g.k = krows;
        DC_GPU_TRY(gemm(g));
      }
    }
  }
  return {};
}

}  // namespace

Conv2dAlgo conv2d_algo(const Conv2dParams& p) {
  if (p.kh == 1 && p.kw == 1 && p.stride == 1 && p.padding == 0) return Conv2dAlgo::kPointwiseGemm;
  if (p.groups > 1 && p.c_in / p.groups <= kConvDirectMaxChannelsPerGroup) return Conv2dAlgo::kDirect;
  return Conv2dAlgo::kIm2colGemm;
}

size_t conv2d_scratch_bytes(const Conv2dParams& p) {
  if (conv2d_algo(p) != Conv2dAlgo::kIm2colGemm) return 0;
  return static_cast<size_t>(im2col_rows(p) * band_rows(p) * p.ow * data_type_bytes(p.dtype));
}

bool conv2d_can_run(const Conv2dParams& p, std::string* why) { return conv_shape_ok(p, why); }

std::string conv2d(const Conv2dParams& p) {
  std::string why;
  if (!conv2d_can_run(p, &why)) return "conv2d: " + why;
  if (p.n == 0 || p.c_out == 0 || p.oh <= 0 || p.ow <= 0) return {};
  const Conv2dAlgo algo = conv2d_algo(p);
  if (algo == Conv2dAlgo::kIm2colGemm && (!p.scratch || p.scratch_bytes < conv2d_scratch_bytes(p)))
    return "conv2d: im2col scratch missing or smaller than conv2d_scratch_bytes()";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    if (algo == Conv2dAlgo::kDirect) {
      const ck::DirectShape s{p.n, p.c_in, p.h, p.w, p.c_out, p.kh, p.kw, p.oh, p.ow,
                              p.c_in / p.groups, p.c_out / p.groups, p.stride, p.padding};
      ck::direct_conv_kernel<T><<<grid_for(p.n * p.c_out * p.oh * p.ow, kBlock), kBlock, 0, p.stream>>>(
          static_cast<T*>(p.y), static_cast<const T*>(p.x), static_cast<const T*>(p.weight),
          static_cast<const T*>(p.bias), s);
      return launch_status("direct_conv_kernel");
    }
    if (p.c_in == 0) {  // empty reduction: the output is the bias (or zero)
      if (!p.bias)
        return cuda_status(cudaMemsetAsync(p.y, 0, static_cast<size_t>(p.n * p.c_out * p.oh * p.ow) * sizeof(T),
                                           p.stream),
                           "conv2d: cudaMemsetAsync");
    }
    float beta = 0.0f;
    if (p.bias) {
      ck::bias_fill_kernel<T><<<grid_for(p.n * p.c_out * p.oh * p.ow, kBlock), kBlock, 0, p.stream>>>(
          static_cast<T*>(p.y), static_cast<const T*>(p.bias), p.n * p.c_out, p.c_out, p.oh * p.ow);
      DC_GPU_TRY(launch_status("bias_fill_kernel"));
      beta = 1.0f;
    }
    if (p.c_in == 0) return std::string();
    if (algo == Conv2dAlgo::kPointwiseGemm) return pointwise_gemm(p, beta);
    return im2col_gemm<T>(p, beta);
  });
}

}  // namespace dc::gpu
