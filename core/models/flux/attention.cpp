#include "core/models/flux/attention.h"

#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/rope.h"

namespace dc::models::flux {
namespace {

// [B, L, H·D] projection -> [B, L, H, D] view.
Tensor split_heads(const Tensor& x, int64_t heads, int64_t head_dim) { return x.unflatten(2, {heads, head_dim}); }

}  // namespace

QKNorm::QKNorm(Module* parent, std::string name, int64_t head_dim)
    : Module(parent, std::move(name)), weight_(this, "weight", {head_dim}) {}

Tensor QKNorm::forward(const Tensor& x, const Tensor& cos, const Tensor& sin) const {
  return ops::rms_norm_rope(x, weight_.get(), FluxConfig::kNormEps, cos, sin);
}

FluxSelfAttention::FluxSelfAttention(Module* parent, std::string name, const FluxConfig& c)
    : Module(parent, std::move(name)),
      heads_(c.num_attention_heads),
      head_dim_(c.attention_head_dim),
      norm_q_(this, "norm_q", c.attention_head_dim),
      norm_k_(this, "norm_k", c.attention_head_dim),
      to_q_(this, "to_q", c.inner_dim(), c.inner_dim()),
      to_k_(this, "to_k", c.inner_dim(), c.inner_dim()),
      to_v_(this, "to_v", c.inner_dim(), c.inner_dim()) {}

Tensor FluxSelfAttention::forward(const Tensor& x, const FluxRope& rope) const {
  const Tensor q =
      norm_q_.forward(split_heads(to_q_.forward(x), heads_, head_dim_), rope.cos, rope.sin);  // [B, N, H, D]
  const Tensor k =
      norm_k_.forward(split_heads(to_k_.forward(x), heads_, head_dim_), rope.cos, rope.sin);  // [B, N, H, D]
  const Tensor v = split_heads(to_v_.forward(x), heads_, head_dim_);                          // [B, N, H, D]
  return ops::attention(q, k, v).flatten(2, 3);                                               // [B, N, C]
}

FluxJointAttention::FluxJointAttention(Module* parent, std::string name, const FluxConfig& c)
    : Module(parent, std::move(name)),
      heads_(c.num_attention_heads),
      head_dim_(c.attention_head_dim),
      norm_q_(this, "norm_q", c.attention_head_dim),
      norm_k_(this, "norm_k", c.attention_head_dim),
      to_q_(this, "to_q", c.inner_dim(), c.inner_dim()),
      to_k_(this, "to_k", c.inner_dim(), c.inner_dim()),
      to_v_(this, "to_v", c.inner_dim(), c.inner_dim()),
      to_out_(this, "to_out.0", c.inner_dim(), c.inner_dim()),
      norm_added_q_(this, "norm_added_q", c.attention_head_dim),
      norm_added_k_(this, "norm_added_k", c.attention_head_dim),
      add_q_proj_(this, "add_q_proj", c.inner_dim(), c.inner_dim()),
      add_k_proj_(this, "add_k_proj", c.inner_dim(), c.inner_dim()),
      add_v_proj_(this, "add_v_proj", c.inner_dim(), c.inner_dim()),
      to_add_out_(this, "to_add_out", c.inner_dim(), c.inner_dim()) {}

std::pair<Tensor, Tensor> FluxJointAttention::forward(const Tensor& img, const Tensor& txt,
                                                      const FluxRope& rope) const {
  const int64_t t = txt.size(1);
  auto heads = [&](const nn::Linear& proj, const Tensor& x) { return split_heads(proj.forward(x), heads_, head_dim_); };
  const Tensor q = ops::concat({norm_added_q_.forward(heads(add_q_proj_, txt), rope.txt_cos(), rope.txt_sin()),
                                norm_q_.forward(heads(to_q_, img), rope.img_cos(), rope.img_sin())},
                               1);  // [B, T+L, H, D]
  const Tensor k = ops::concat({norm_added_k_.forward(heads(add_k_proj_, txt), rope.txt_cos(), rope.txt_sin()),
                                norm_k_.forward(heads(to_k_, img), rope.img_cos(), rope.img_sin())},
                               1);                                                // [B, T+L, H, D]
  const Tensor v = ops::concat({heads(add_v_proj_, txt), heads(to_v_, img)}, 1);  // [B, T+L, H, D]
  const Tensor out = ops::attention(q, k, v).flatten(2, 3);                       // [B, T+L, C]
  const Tensor img_out = to_out_.forward(out.slice(1, t, out.size(1)));           // [B, L, C]
  const Tensor txt_out = to_add_out_.forward(out.slice(1, 0, t));                 // [B, T, C]
  return {img_out, txt_out};
}

}  // namespace dc::models::flux
