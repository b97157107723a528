// ReLU linear attention (SANA / EfficientViT LiteMLA) over channel-major
// q, k, v [BH, d, N]:
//   out[bh, :, n] = (V·relu(K)ᵀ) relu(q[:, n]) / (Σ_m relu(k[:, m])·relu(q[:, n]) + eps)
// Two phases, f32 throughout: (1) per (bh, N-split) the (d+1) x d matrix
// [V·relu(K)ᵀ ; Σ_m relu(K)] into the workspace, summed over splits in a fixed
// order (deterministic, no atomics); (2) per column tile the quotient above.
//
//   gpu::ReluLinearAttentionParams a{out, q, k, v, gpu::DataType::kBF16, B * heads, d, N, 1e-15f};
//   a.workspace = alloc(gpu::relu_linear_attention_workspace_bytes(a)); a.stream = s;
//   std::string e = gpu::relu_linear_attention(a);
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

struct ReluLinearAttentionParams {
  void* out = nullptr;      // [batch_heads, head_dim, tokens], contiguous, dtype
  const void* q = nullptr;  // same layout
  const void* k = nullptr;
  const void* v = nullptr;
  DataType dtype = DataType::kF32;
  int64_t batch_heads = 0;
  int64_t head_dim = 0;
  int64_t tokens = 0;
  float eps = 1e-15f;
  float* workspace = nullptr;  // relu_linear_attention_workspace_bytes(*this) bytes
  size_t workspace_bytes = 0;
  cudaStream_t stream = nullptr;
};

size_t relu_linear_attention_workspace_bytes(const ReluLinearAttentionParams& p);
// False (with the reason) when head_dim needs more shared memory than the device allows.
bool relu_linear_attention_can_run(const ReluLinearAttentionParams& p, std::string* why);
std::string relu_linear_attention(const ReluLinearAttentionParams& p);

}  // namespace dc::gpu
