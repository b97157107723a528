// CUDA backend: rms_norm_rope (gpu/cuda/transformer), x read through its strides.
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/transformer/transformer.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void rms_norm_rope(const Tensor& out, const Tensor& x, const Tensor& weight, float eps, const Tensor& cos,
                   const Tensor& sin) {
  if (out.numel() == 0) return;
  gpu::RmsNormRopeParams p;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.weight = ptr_or_null(weight);
  p.cos = cos.defined() ? cos.data<float>() : nullptr;
  p.sin = sin.defined() ? sin.data<float>() : nullptr;
  p.dtype = activation_type(x.dtype(), "rms_norm_rope");
  p.batch = x.size(0);
  p.tokens = x.size(1);
  p.heads = x.size(2);
  p.head_dim = x.size(3);
  p.x_strides.batch = x.stride(0);
  p.x_strides.token = x.stride(1);
  p.x_strides.head = x.stride(2);
  p.eps = eps;
  p.stream = stream();
  std::string why;
  check_supported(gpu::rms_norm_rope_can_run(p, &why), why, "rms_norm_rope");
  check(gpu::rms_norm_rope(p), "rms_norm_rope");
}

}  // namespace dc::ops::cuda
