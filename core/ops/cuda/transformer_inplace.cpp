// CUDA backend: rms_norm_rope_inplace and activation_inplace (gpu/cuda/fusions).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "core/ops/strided_rows.h"
#include "gpu/cuda/fusions/fusions.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void rms_norm_rope_inplace(const Tensor& x, const Tensor& weight, float eps, const Tensor& cos, const Tensor& sin) {
  gpu::RmsNormRopeInplaceParams p;
  p.x = x.data_ptr();
  p.weight = weight.data_ptr();
  p.cos = cos.defined() ? cos.data<float>() : nullptr;
  p.sin = sin.defined() ? sin.data<float>() : nullptr;
  p.dtype = activation_type(x.dtype(), "rms_norm_rope_inplace");
  p.batch = x.size(0);
  p.tokens = x.size(1);
  p.heads = x.size(2);
  p.head_dim = x.size(3);
  p.groups = weight.size(0);
  p.strides.batch = x.stride(0);
  p.strides.token = x.stride(1);
  p.strides.head = x.stride(2);
  p.eps = eps;
  p.stream = stream();
  std::string why;
  check_supported(gpu::rms_norm_rope_inplace_can_run(p, &why), why, "rms_norm_rope_inplace");
  check(gpu::rms_norm_rope_inplace(p), "rms_norm_rope_inplace");
}

void activation_inplace(const Tensor& x, Activation act) {
  const detail::UniformRows rows = *detail::uniform_rows(x);
  gpu::ActivationInplaceParams p;
  p.x = x.data_ptr();
  p.dtype = activation_type(x.dtype(), "activation_inplace");
  p.rows = rows.rows;
  p.cols = rows.cols;
  p.row_stride = rows.stride;
  p.act = activation_kind(act);
  p.stream = stream();
  check(gpu::activation_inplace(p), "activation_inplace");
}

}  // namespace dc::ops::cuda
