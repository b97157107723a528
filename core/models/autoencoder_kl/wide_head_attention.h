// Softmax attention for head dims beyond what the fused attention kernels take
// (the CUDA flash kernel and cuDNN SDPA stop at 256; the VAE mid block attends
// with one head as wide as its channels, 512 in FLUX.1 and SD), composed of ops
// that do take them, with no approximation:
//   scores = scale · q·k = scale · q[:d]·k[:d] + scale · q[d:]·k[d:]
// The second term is an f32 matmul passed to ops::attention as its additive bias,
// the first is scored by the kernel on the leading d dims, and the values run in
// chunks of d channels (the last zero-padded), each chunk an exact slice of the
// output. The bias is built for one block of queries at a time, bounding memory.
//
//   Tensor out = attention_split_head_dim(q, k, v, {.max_head_dim = 256});  // q [B, L, H, 512]
#pragma once

#include "core/tensor/tensor.h"

namespace dc::models::autoencoder_kl {

// gpu/cuda/attention's limit (flash_attention_can_run: head dims 1 to 256).
constexpr int64_t kCudaMaxAttentionHeadDim = 256;

struct SplitHeadDimOptions {
  int64_t max_head_dim = kCudaMaxAttentionHeadDim;  // widest head ops::attention is given
  int64_t max_bias_elements = int64_t{1} << 26;     // f32 bias elements per query block (256 MiB)
};

// ops::attention(q, k, v) with its default scale 1/sqrt(D): q [B, Lq, H, D], k and
// v [B, Lk, H, D] -> [B, Lq, H, D] contiguous in q's dtype. Calls ops::attention
// directly when D ≤ max_head_dim.
Tensor attention_split_head_dim(const Tensor& q, const Tensor& k, const Tensor& v,
                                const SplitHeadDimOptions& options = {});

}  // namespace dc::models::autoencoder_kl
