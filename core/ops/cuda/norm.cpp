// CUDA backend: rms_norm, layer_norm, rms_norm_channels, channel_affine.
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "core/ops/op_util.h"
#include "gpu/cuda/norm/norm.h"

namespace dc::ops::cuda {
namespace {

using namespace cuda_detail;

gpu::RowNormParams row_params(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps,
                               gpu::RowNormKind kind, const char* op) {
  gpu::RowNormParams p;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.weight = ptr_or_null(w);
  p.bias = ptr_or_null(b);
  p.dtype = activation_type(x.dtype(), op);
  p.cols = x.size(-1);
  p.rows = x.numel() / p.cols;
  p.eps = eps;
  p.kind = kind;
  p.stream = stream();
  return p;
}

void row_norm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps, gpu::RowNormKind kind,
              const char* op) {
  if (out.numel() == 0) return;
  check(gpu::row_norm(row_params(out, x, w, b, eps, kind, op)), op);
}

}  // namespace

void rms_norm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps) {
  row_norm(out, x, w, b, eps, gpu::RowNormKind::kRms, "rms_norm");
}

void layer_norm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps) {
  row_norm(out, x, w, b, eps, gpu::RowNormKind::kLayer, "layer_norm");
}

void rms_norm_channels(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& residual,
                       float eps, Activation act) {
  if (out.numel() == 0) return;
  if (detail::is_nhwc(x)) {  // rows of C contiguous channels, one per pixel
    const Tensor xm = detail::memory_order(x);
    gpu::RowNormParams p = row_params(detail::memory_order(out), xm, w, b, eps, gpu::RowNormKind::kRms,
                                      "rms_norm_channels");
    p.residual = ptr_or_null(residual);
    p.act = activation_kind(act);
    check(gpu::row_norm(p), "rms_norm_channels");
    return;
  }
  gpu::ChannelRmsNormParams p;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.weight = ptr_or_null(w);
  p.bias = ptr_or_null(b);
  p.residual = ptr_or_null(residual);
  p.dtype = activation_type(x.dtype(), "rms_norm_channels");
  p.n = x.size(0), p.c = x.size(1), p.hw = x.numel() / (p.n * p.c);
  p.eps = eps;
  p.act = activation_kind(act);
  p.stream = stream();
  check(gpu::channel_rms_norm(p), "rms_norm_channels");
}

void channel_affine(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift,
                    const Tensor& residual) {
  if (out.numel() == 0) return;
  if (scale.dtype() != DType::kF32 || shift.dtype() != DType::kF32)
    throw_error(Error::internal("channel_affine: scale and shift must arrive as f32"));
  gpu::ChannelAffineParams p;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.scale = scale.data<float>();
  p.shift = shift.data<float>();
  p.residual = ptr_or_null(residual);
  p.dtype = activation_type(x.dtype(), "channel_affine");
  p.n = x.size(0), p.c = x.size(1), p.hw = x.numel() / (p.n * p.c);
  p.channels_last = detail::is_nhwc(x);
  p.stream = stream();
  check(gpu::channel_affine(p), "channel_affine");
}

}  // namespace dc::ops::cuda
