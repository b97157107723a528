#include "core/models/autoencoder_kl/wide_head_attention.h"

#include <algorithm>
#include <cmath>

#include "core/base/assert.h"
#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/gemm.h"

namespace dc::models::autoencoder_kl {

Tensor attention_split_head_dim(const Tensor& q, const Tensor& k, const Tensor& v, const SplitHeadDimOptions& options) {
  DC_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4 && k.shape() == v.shape() && q.size(0) == k.size(0) &&
               q.size(2) == k.size(2) && q.size(3) == k.size(3),
           "attention_split_head_dim: q " << q.describe() << ", k " << k.describe() << ", v " << v.describe()
                                          << " are not [B, Lq, H, D], [B, Lk, H, D], [B, Lk, H, D]");
  DC_CHECK(options.max_head_dim > 0 && options.max_bias_elements > 0,
           "attention_split_head_dim: max_head_dim and max_bias_elements must be positive");
  const int64_t batch = q.size(0), lq = q.size(1), heads = q.size(2), dim = q.size(3), lk = k.size(1);
  if (dim <= options.max_head_dim) return ops::attention(q, k, v);

  const int64_t d = options.max_head_dim;  // dims the kernel scores; the rest go through the bias
  const float scale = 1.0f / std::sqrt(static_cast<float>(dim));
  const Tensor q_lead = q.slice(3, 0, d), k_lead = k.slice(3, 0, d);  // [B, L, H, d] views
  // The remaining dims in f32 for the bias product: q as [B, H, Lq, D-d], k as [B, H, D-d, Lk].
  const Tensor q_rest = ops::contiguous(ops::cast(q.slice(3, d, dim), DType::kF32).permute({0, 2, 1, 3}));
  const Tensor k_rest_t = ops::contiguous(ops::cast(k.slice(3, d, dim), DType::kF32).permute({0, 2, 3, 1}));
  // Value chunks of d channels, the last zero-padded to d (zeros add nothing to its outputs).
  std::vector<Tensor> v_chunks;
  for (int64_t c0 = 0; c0 < dim; c0 += d) {
    const int64_t width = std::min(d, dim - c0);
    Tensor chunk = v.slice(3, c0, c0 + width);  // [B, Lk, H, width]
    if (width < d) chunk = ops::concat({chunk, ops::zeros({batch, lk, heads, d - width}, v.dtype(), v.device())}, 3);
    v_chunks.push_back(chunk);
  }

  Tensor out = Tensor::empty({batch, lq, heads, dim}, q.dtype(), q.device());
  const int64_t block =
      std::clamp<int64_t>(options.max_bias_elements / std::max<int64_t>(1, batch * heads * lk), 1, lq);
  for (int64_t i0 = 0; i0 < lq; i0 += block) {
    const int64_t i1 = std::min(lq, i0 + block);
    ops::AttentionOptions attention_options;
    attention_options.scale = scale;
    attention_options.bias = ops::scale(ops::matmul(ops::contiguous(q_rest.slice(2, i0, i1)), k_rest_t),
                                        scale);      // [B, H, i1-i0, Lk] f32
    const Tensor q_block = q_lead.slice(1, i0, i1);  // [B, i1-i0, H, d]
    for (size_t c = 0; c < v_chunks.size(); ++c) {
      const int64_t c0 = static_cast<int64_t>(c) * d, width = std::min(d, dim - c0);
      const Tensor part = ops::attention(q_block, k_lead, v_chunks[c], attention_options);  // [B, i1-i0, H, d]
      ops::copy_(out.slice(1, i0, i1).slice(3, c0, c0 + width), part.slice(3, 0, width));
    }
  }
  return out;
}

}  // namespace dc::models::autoencoder_kl
