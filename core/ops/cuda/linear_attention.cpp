// CUDA backend: relu_linear_attention (gpu/cuda/attention/linear_attention),
// reading q, k, v and writing out through their strides.
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/attention/linear_attention.h"

namespace dc::ops::cuda {
namespace {

gpu::AttentionStrides strides_of(const Tensor& t) { return {t.stride(0), t.stride(1), t.stride(2), t.stride(3)}; }

}  // namespace

using namespace cuda_detail;

void relu_linear_attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v, float eps) {
  if (out.numel() == 0) return;
  gpu::ReluLinearAttentionParams p;
  p.out = out.data_ptr();
  p.q = q.data_ptr();
  p.k = k.data_ptr();
  p.v = v.data_ptr();
  p.dtype = activation_type(q.dtype(), "relu_linear_attention");
  p.batch = q.size(0);
  p.heads = q.size(1);
  p.head_dim = q.size(2);
  p.tokens = q.size(3);
  p.eps = eps;
  p.q_strides = strides_of(q);
  p.k_strides = strides_of(k);
  p.v_strides = strides_of(v);
  p.out_strides = strides_of(out);
  std::string why;
  check_supported(gpu::relu_linear_attention_can_run(p, &why), why, "relu_linear_attention");
  p.workspace_bytes = gpu::relu_linear_attention_workspace_bytes(p);
  Tensor workspace = scratch_bytes(p.workspace_bytes, out.device());
  p.workspace = static_cast<float*>(workspace.data_ptr());
  p.stream = stream();
  check(gpu::relu_linear_attention(p), "relu_linear_attention");
}

}  // namespace dc::ops::cuda
