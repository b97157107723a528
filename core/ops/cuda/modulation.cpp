// CUDA backend: layer_norm_modulate and gated_residual (gpu/cuda/transformer).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/transformer/transformer.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void layer_norm_modulate(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift, float eps) {
  if (out.numel() == 0) return;
  gpu::LayerNormModulateParams p;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.scale = scale.data_ptr();
  p.shift = shift.data_ptr();
  p.dtype = activation_type(x.dtype(), "layer_norm_modulate");
  p.batch = x.size(0);
  p.tokens = x.size(1);
  p.channels = x.size(2);
  p.scale_row_stride = scale.stride(0);
  p.shift_row_stride = shift.stride(0);
  p.eps = eps;
  p.stream = stream();
  std::string why;
  check_supported(gpu::layer_norm_modulate_can_run(p, &why), why, "layer_norm_modulate");
  check(gpu::layer_norm_modulate(p), "layer_norm_modulate");
}

void gated_residual(const Tensor& out, const Tensor& x, const Tensor& gate, const Tensor& y) {
  if (out.numel() == 0) return;
  gpu::GatedResidualParams p;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.gate = gate.data_ptr();
  p.y = y.data_ptr();
  p.dtype = activation_type(x.dtype(), "gated_residual");
  p.batch = x.size(0);
  p.tokens = x.size(1);
  p.channels = x.size(2);
  p.gate_row_stride = gate.stride(0);
  p.y_batch_stride = y.stride(0);
  p.y_token_stride = y.stride(1);
  p.stream = stream();
  check(gpu::gated_residual(p), "gated_residual");
}

}  // namespace dc::ops::cuda
