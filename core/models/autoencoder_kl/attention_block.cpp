#include "core/models/autoencoder_kl/attention_block.h"

#include <limits>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"

namespace dc::models::autoencoder_kl {

AttentionBlock::AttentionBlock(nn::Module* parent, std::string name, int64_t channels, int64_t groups)
    : Module(parent, std::move(name)),
      channels_(channels),
      group_norm_(this, "group_norm", channels, groups, 1e-6f),  // eps = resnet_eps
      to_q_(this, "to_q", channels, channels),
      to_k_(this, "to_k", channels, channels),
      to_v_(this, "to_v", channels, channels),
      to_out_(this, "to_out") {
  to_out_.emplace(channels, channels);
}

Tensor AttentionBlock::forward(const Tensor& x) const {
  const int64_t n = x.size(0), c = channels_, h = x.size(2), w = x.size(3), l = h * w;
  const Tensor normed = group_norm_.forward(x);                                   // [N, C, H, W] contiguous
  const Tensor tokens = ops::contiguous(normed.view({n, c, l}).transpose(1, 2));  // [N, L, C]
  const Tensor q = to_q_.forward(tokens).view({n, l, 1, c});                      // [N, L, 1, C]
  const Tensor k = to_k_.forward(tokens).view({n, l, 1, c});
  const Tensor v = to_v_.forward(tokens).view({n, l, 1, c});
  const int64_t limit = max_fused_head_dim_ > 0 ? max_fused_head_dim_
                        : x.is_cuda()           ? kCudaMaxAttentionHeadDim
                                                : std::numeric_limits<int64_t>::max();
  const Tensor attended = attention_split_head_dim(q, k, v, {.max_head_dim = limit}).view({n, l, c});  // [N, L, C]
  tap("attention", attended);
  const Tensor projected = to_out_[0].forward(attended);                               // [N, L, C]
  const Tensor image = ops::contiguous(projected.transpose(1, 2)).view({n, c, h, w});  // [N, C, H, W]
  return ops::add(image, x);                                                           // residual_connection
}

}  // namespace dc::models::autoencoder_kl
