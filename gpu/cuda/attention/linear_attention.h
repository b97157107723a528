// ReLU linear attention (SANA / EfficientViT LiteMLA) over q, k, v [B, H, d, N]:
//   out[bh, :, n] = (V·relu(K)ᵀ) relu(q[:, n]) / (Σ_m relu(k[:, m])·relu(q[:, n]) + eps)
// Two phases, f32 throughout: (1) per (bh, N-split) the (d+1) x d matrix
// [V·relu(K)ᵀ ; Σ_m relu(K)] into the workspace, summed over splits in a fixed
// order (deterministic, no atomics); (2) per column tile the quotient above.
// Operands are addressed through per-operand strides, so q, k, v can be views
// into one projected qkv tensor in either layout: tiles are read and written
// along whichever of the dim / token strides is 1.
//
//   gpu::ReluLinearAttentionParams a{out, q, k, v, gpu::DataType::kBF16, B, heads, d, N, 1e-15f};
//   a.q_strides = a.k_strides = a.v_strides = a.out_strides = gpu::AttentionStrides::contiguous(heads, d, N);
//   a.workspace = alloc(gpu::relu_linear_attention_workspace_bytes(a)); a.stream = s;
//   std::string e = gpu::relu_linear_attention(a);
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

// Element strides of a [batch, heads, head_dim, tokens] operand (non-negative).
struct AttentionStrides {
  int64_t batch = 0, head = 0, dim = 0, token = 0;
  static AttentionStrides contiguous(int64_t heads, int64_t head_dim, int64_t tokens) {
    return {heads * head_dim * tokens, head_dim * tokens, tokens, 1};
  }
};

struct ReluLinearAttentionParams {
  void* out = nullptr;  // [batch, heads, head_dim, tokens], dtype, at out_strides
  const void* q = nullptr;
  const void* k = nullptr;
  const void* v = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch = 0;
  int64_t heads = 0;
  int64_t head_dim = 0;
  int64_t tokens = 0;
  float eps = 1e-15f;
  AttentionStrides q_strides, k_strides, v_strides, out_strides;
  float* workspace = nullptr;  // relu_linear_attention_workspace_bytes(*this) bytes
  size_t workspace_bytes = 0;
  cudaStream_t stream = nullptr;
};

size_t relu_linear_attention_workspace_bytes(const ReluLinearAttentionParams& p);
// False (with the reason) when head_dim needs more shared memory than the device allows.
bool relu_linear_attention_can_run(const ReluLinearAttentionParams& p, std::string* why);
std::string relu_linear_attention(const ReluLinearAttentionParams& p);

}  // namespace dc::gpu
