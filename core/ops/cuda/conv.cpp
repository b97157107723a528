// CUDA backend: conv2d in the tensors' own layout (NCHW or channels-last) with bias and
// residual and activation fused, through, in this order of preference:
//   channels-last depthwise   gpu/cuda/conv/depthwise_nhwc.h (cuDNN has no fast one);
//   channels-last 1x1         gpu/cuda/conv/pointwise_gemm.h (cuBLASLt on the pixel
//                             matrix) where it measured faster than cuDNN, timed once
//                             per shape on the first call;
//   cuDNN                     gpu/cuda/conv/cudnn_conv.h, when compiled in and it has an
//                             algorithm for the shape;
//   gpu/cuda/conv/conv.h      direct, pointwise GEMM or im2col + GEMM, NCHW only
//                             (channels-last goes through copies).
// DC_CONV_BACKEND=im2col forces the last (for A/B measurements).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <vector>

#include "core/base/log.h"
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/common/runtime.h"
#include "gpu/cuda/conv/conv.h"
#include "gpu/cuda/conv/cudnn_conv.h"
#include "gpu/cuda/conv/depthwise_nhwc.h"
#include "gpu/cuda/conv/pointwise_gemm.h"
#include "gpu/cuda/gemm/gemm.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

namespace {

bool im2col_forced() {
  static const bool forced = [] {
    const char* v = std::getenv("DC_CONV_BACKEND");
    return v && std::strcmp(v, "im2col") == 0;
  }();
  return forced;
}

// Channels-last depthwise (groups = Cin = Cout). True when it computed `out`.
bool conv2d_depthwise_nhwc(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,
                           const Tensor& residual, const Conv2dOptions& opt) {
  const int64_t c = x.size(1), kh = w.size(2), kw = w.size(3);
  if (im2col_forced() || opt.groups != c || w.size(0) != c || w.size(1) != 1) return false;
  if (x.is_contiguous() && out.is_contiguous()) return false;  // NCHW
  if (!x.is_channels_last() || !out.is_channels_last() || (residual.defined() && !residual.is_channels_last()))
    return false;
  // [C, 1, kh, kw] -> [kh, kw, C], so that a tap's channels are one vector load.
  Tensor rsc = Tensor::empty({kh, kw, c}, w.dtype(), w.device());
  copy_strided(rsc, w.view({c, kh, kw}).permute({1, 2, 0}));
  gpu::DepthwiseConvParams p;
  p.x = x.data_ptr();
  p.weight = rsc.data_ptr();
  p.bias = ptr_or_null(bias);
  p.residual = ptr_or_null(residual);
  p.y = out.data_ptr();
  p.dtype = activation_type(x.dtype(), "conv2d");
  p.n = x.size(0), p.c = c, p.h = x.size(2), p.w = x.size(3);
  p.kh = kh, p.kw = kw, p.oh = out.size(2), p.ow = out.size(3);
  p.stride = opt.stride, p.padding = opt.padding;
  p.act = activation_kind(opt.activation);
  p.stream = stream();
  std::string why;
  check_supported(gpu::depthwise_conv2d_nhwc_can_run(p, &why), why, "conv2d");
  check(gpu::depthwise_conv2d_nhwc(p), "conv2d");
  return true;
}

#ifdef DC_HAVE_CUDNN

// cuDNN's NHWC filter is KRSC ([Cout, kh, kw, Cin/g]); ours is KCRS. Same bytes when
// kh·kw = 1 or Cin/g = 1 (1x1, depthwise); otherwise a per-call copy (≤ 19 MB for
// DC-AE's largest 3x3, a few µs, against milliseconds of convolution at that size).
Tensor filter_for(const Tensor& w, bool nhwc) {
  const int64_t cout = w.size(0), cin_g = w.size(1), kh = w.size(2), kw = w.size(3);
  if (!nhwc || cin_g == 1 || kh * kw == 1) return w;
  Tensor krsc = Tensor::empty({cout, kh, kw, cin_g}, w.dtype(), w.device());
  copy_strided(krsc.permute({0, 3, 1, 2}), w);
  return krsc;
}

// True when cuDNN computed `out`; false when it cannot take the shape (nothing usable written).
bool conv2d_cudnn(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias, const Tensor& residual,
                  const Conv2dOptions& opt) {
  if (im2col_forced()) return false;
  // One layout for x, out and residual. Tensors that are both (C = 1 or H·W = 1) fit either.
  const bool nhwc = !x.is_contiguous() || !out.is_contiguous();
  auto fits = [nhwc](const Tensor& t) { return !t.defined() || (nhwc ? t.is_channels_last() : t.is_contiguous()); };
  if (!fits(x) || !fits(out) || !fits(residual)) return false;
  const Tensor filter = filter_for(w, nhwc);
  gpu::CudnnConv2dParams p;
  p.x = x.data_ptr();
  p.weight = filter.data_ptr();
  p.bias = ptr_or_null(bias);
  p.residual = ptr_or_null(residual);
  p.y = out.data_ptr();
  p.dtype = activation_type(x.dtype(), "conv2d");
  p.layout = nhwc ? gpu::ConvLayout::kNHWC : gpu::ConvLayout::kNCHW;
  p.n = x.size(0), p.c_in = x.size(1), p.h = x.size(2), p.w = x.size(3);
  p.c_out = w.size(0), p.kh = w.size(2), p.kw = w.size(3);
  p.oh = out.size(2), p.ow = out.size(3);
  p.stride = opt.stride, p.padding = opt.padding, p.groups = opt.groups;
  p.act = activation_kind(opt.activation);
  p.stream = stream();
  size_t bytes = 0;
  bool supported = true;
  check(gpu::cudnn_conv2d_workspace_bytes(p, &bytes, &supported), "conv2d");
  if (!supported) return false;
  Tensor workspace;
  if (bytes > 0) {
    workspace = scratch_bytes(bytes, out.device());
    p.workspace = workspace.data_ptr();
    p.workspace_bytes = bytes;
  }
  std::string summary;
  check(gpu::cudnn_conv2d(p, &supported, &summary), "conv2d");
  if (bytes == gpu::kCudnnSelectWorkspaceBytes) {  // a new plan: say what was chosen
    log(LogLevel::kDebug, "conv2d cuDNN " + x.describe() + " w" + shape_to_string(w.shape()) +
                              (nhwc ? " NHWC" : " NCHW") + " s" + std::to_string(opt.stride) + " p" +
                              std::to_string(opt.padding) + " g" + std::to_string(opt.groups) +
                              (bias.defined() ? " +bias" : "") + (residual.defined() ? " +residual" : "") +
                              (opt.activation != Activation::kIdentity ? " +act" : "") + ": " +
                              summary);
  }
  return supported;
}
#endif

void conv2d_im2col(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias, const Tensor& residual,
                   const Conv2dOptions& opt) {
  if (!x.is_contiguous() || !out.is_contiguous()) {  // channels-last: this path computes in NCHW
    Tensor xn = x;
    if (!x.is_contiguous()) {
      xn = Tensor::empty(x.shape(), x.dtype(), x.device());
      copy_strided(xn, x);
    }
    const bool out_nchw = out.is_contiguous();
    Tensor on = out_nchw ? out : Tensor::empty(out.shape(), out.dtype(), out.device());
    Conv2dOptions plain = opt;
    plain.activation = Activation::kIdentity;
    conv2d_im2col(on, xn, w, bias, Tensor(), plain);
    if (residual.defined()) binary(on, on, residual, BinaryOp::kAdd);
    if (opt.activation != Activation::kIdentity) activation(on, on, opt.activation);
    if (!out_nchw) copy_strided(out, on);
    return;
  }
  gpu::Conv2dParams p;
  p.x = x.data_ptr();
  p.weight = w.data_ptr();
  p.bias = ptr_or_null(bias);
  p.y = out.data_ptr();
  p.dtype = activation_type(x.dtype(), "conv2d");
  p.n = x.size(0), p.c_in = x.size(1), p.h = x.size(2), p.w = x.size(3);
  p.c_out = w.size(0), p.kh = w.size(2), p.kw = w.size(3);
  p.oh = out.size(2), p.ow = out.size(3);
  p.stride = opt.stride, p.padding = opt.padding, p.groups = opt.groups;
  std::string why;
  check_supported(gpu::conv2d_can_run(p, &why), why, "conv2d");
  const gpu::Conv2dAlgo algo = gpu::conv2d_algo(p);
  Tensor scratch, workspace;
  if (algo == gpu::Conv2dAlgo::kIm2colGemm) {
    p.scratch_bytes = gpu::conv2d_scratch_bytes(p);
    scratch = scratch_bytes(p.scratch_bytes, out.device());
    p.scratch = scratch.data_ptr();
  }
  if (algo != gpu::Conv2dAlgo::kDirect) {
    p.gemm_workspace_bytes = gpu::gemm_workspace_bytes();
    workspace = scratch_bytes(p.gemm_workspace_bytes, out.device());
    p.gemm_workspace = workspace.data_ptr();
  }
  p.stream = stream();
  check(gpu::conv2d(p), "conv2d");
  if (residual.defined()) binary(out, out, residual, BinaryOp::kAdd);
  if (opt.activation != Activation::kIdentity) activation(out, out, opt.activation);
}

// Channels-last 1x1, stride 1, no padding, every operand dense NHWC.
bool conv2d_pointwise_eligible(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& residual,
                               const Conv2dOptions& opt) {
  if (im2col_forced() || w.size(2) != 1 || w.size(3) != 1 || opt.stride != 1 || opt.padding != 0) return false;
  if (x.is_contiguous() && out.is_contiguous()) return false;  // NCHW
  return x.is_channels_last() && out.is_channels_last() && (!residual.defined() || residual.is_channels_last());
}

void conv2d_pointwise_gemm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,
                           const Tensor& residual, const Conv2dOptions& opt) {
  gpu::PointwiseGemmParams p;
  p.x = x.data_ptr();
  p.weight = w.data_ptr();
  p.bias = ptr_or_null(bias);
  p.residual = ptr_or_null(residual);
  p.y = out.data_ptr();
  p.dtype = activation_type(x.dtype(), "conv2d");
  p.pixels = x.size(0) * x.size(2) * x.size(3), p.c_in = x.size(1), p.c_out = w.size(0);
  p.groups = opt.groups;
  p.act = activation_kind(opt.activation);
  const Tensor workspace = scratch_bytes(gpu::gemm_workspace_bytes(), out.device());
  p.workspace = workspace.data_ptr(), p.workspace_bytes = gpu::gemm_workspace_bytes();
  p.stream = stream();
  std::string why;
  check_supported(gpu::pointwise_conv_gemm_can_run(p, &why), why, "conv2d");
  check(gpu::pointwise_conv_gemm(p), "conv2d");
}

#ifdef DC_HAVE_CUDNN
// Per shape: whether the GEMM beat cuDNN when first timed (both warm, best of two).
bool gemm_measured_faster(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,
                          const Tensor& residual, const Conv2dOptions& opt) {
  static std::mutex mutex;
  static std::map<std::vector<int64_t>, bool> chosen;
  auto residue = [](const Tensor& t) {
    return t.defined() ? static_cast<int64_t>(reinterpret_cast<uintptr_t>(t.data_ptr()) % 16) : int64_t{-1};
  };
  const std::vector<int64_t> key = {static_cast<int64_t>(x.dtype()), x.size(0) * x.size(2) * x.size(3), x.size(1),
                                    w.size(0), opt.groups, bias.defined(), residual.defined(),
                                    static_cast<int64_t>(opt.activation), residue(x), residue(w), residue(out),
                                    residue(residual), residue(bias)};
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = chosen.find(key);
    if (it != chosen.end()) return it->second;
  }
  const cudaStream_t s = stream();
  auto time = [&](auto&& run) {
    run();  // warm (cuDNN: chooses its plan)
    float best = 1e30f;
    for (int i = 0; i < 2; ++i) {
      gpu::Event start, stop;
      start.record(s);
      run();
      stop.record(s);
      stop.synchronize();
      best = std::min(best, stop.elapsed_ms_since(start));
    }
    return best;
  };
  bool cudnn_ok = true;
  const float cudnn_ms = time([&] { cudnn_ok = cudnn_ok && conv2d_cudnn(out, x, w, bias, residual, opt); });
  const float gemm_ms = time([&] { conv2d_pointwise_gemm(out, x, w, bias, residual, opt); });
  const bool gemm = !cudnn_ok || gemm_ms < cudnn_ms;
  log(LogLevel::kDebug, "conv2d cuDNN vs GEMM " + x.describe() + " w" + shape_to_string(w.shape()) + " g" +
                            std::to_string(opt.groups) + ": cuDNN " + (cudnn_ok ? std::to_string(cudnn_ms) : "n/a") +
                            " ms, GEMM " + std::to_string(gemm_ms) + " ms -> " + (gemm ? "GEMM" : "cuDNN"));
  std::lock_guard<std::mutex> lock(mutex);
  chosen[key] = gemm;
  return gemm;
}

// True when the 1x1 GEMM route computed `out`.
bool conv2d_pointwise_routed(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,
                             const Tensor& residual, const Conv2dOptions& opt) {
  if (!conv2d_pointwise_eligible(out, x, w, residual, opt)) return false;
  const gpu::PointwiseRoute route = gpu::pointwise_gemm_route();
  if (route == gpu::PointwiseRoute::kCudnn) return false;
  // Timed: the measurement leaves `out` computed by the GEMM, so run it again either way.
  if (route == gpu::PointwiseRoute::kTimed && !gemm_measured_faster(out, x, w, bias, residual, opt)) return false;
  conv2d_pointwise_gemm(out, x, w, bias, residual, opt);
  return true;
}
#endif

}  // namespace

void conv2d(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias, const Tensor& residual,
            const Conv2dOptions& opt) {
  if (out.numel() == 0) return;
  if (conv2d_depthwise_nhwc(out, x, w, bias, residual, opt)) return;
#ifdef DC_HAVE_CUDNN
  if (conv2d_pointwise_routed(out, x, w, bias, residual, opt)) return;
  if (conv2d_cudnn(out, x, w, bias, residual, opt)) return;
#else
  if (conv2d_pointwise_eligible(out, x, w, residual, opt)) return conv2d_pointwise_gemm(out, x, w, bias, residual, opt);
#endif
  conv2d_im2col(out, x, w, bias, residual, opt);
}

}  // namespace dc::ops::cuda
