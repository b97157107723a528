// CUDA backend: attention (gpu/cuda/attention/flash_attention), reading q, k, v
// through their strides.
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/attention/flash_attention.h"

namespace dc::ops::cuda {
namespace {

gpu::TokenMajorStrides strides_of(const Tensor& t) { return {t.stride(0), t.stride(1), t.stride(2)}; }

}  // namespace

using namespace cuda_detail;

void attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v, float scale, bool causal,
               const Tensor& bias, const Tensor& key_mask) {
  if (out.numel() == 0) return;
  gpu::AttentionParams p;
  p.out = out.data_ptr();
  p.q = q.data_ptr();
  p.k = k.data_ptr();
  p.v = v.data_ptr();
  p.dtype = activation_type(q.dtype(), "attention");
  p.batch = q.size(0);
  p.q_len = q.size(1);
  p.heads = q.size(2);
  p.head_dim = q.size(3);
  p.kv_len = k.size(1);
  p.q_strides = strides_of(q);
  p.k_strides = strides_of(k);
  p.v_strides = strides_of(v);
  p.scale = scale;
  p.causal = causal;
  if (bias.defined()) {
    p.bias = bias.data<float>();
    for (int d = 0; d < 4; ++d) p.bias_strides[d] = bias.stride(d);
  }
  p.key_mask = key_mask.defined() ? key_mask.data<uint8_t>() : nullptr;
  p.stream = stream();
  std::string why;
  check_supported(gpu::flash_attention_can_run(p, &why), why, "attention");
  check(gpu::flash_attention(p), "attention");
}

}  // namespace dc::ops::cuda
