#include "core/models/flux/attention.h"

#include "core/ops/attention.h"
#include "core/ops/fused_linear.h"
#include "core/ops/transformer_inplace.h"

namespace dc::models::flux {
namespace {

// RMSNorm + RoPE of the q and k heads of qkv [B, L, ≥ 3C] in place: columns
// [0, 2C) viewed as 2H heads, q heads with qk_norm row 0, k heads with row 1.
void norm_rope_qk(const Tensor& qkv, const Tensor& qk_norm, int64_t heads, int64_t head_dim, const Tensor& cos,
                  const Tensor& sin) {
  const Tensor qk = qkv.slice(2, 0, 2 * heads * head_dim).unflatten(2, {2 * heads, head_dim});  // [B, L, 2H, D]
  ops::rms_norm_rope_(qk, qk_norm, FluxConfig::kNormEps, cos, sin);
}

// softmax attention over q, k, v read in place from qkv [B, L, ≥ 3C] -> [B, L, C].
Tensor attend(const Tensor& qkv, int64_t heads, int64_t head_dim) {
  const int64_t c = heads * head_dim;
  auto heads_of = [&](int64_t i) { return qkv.slice(2, i * c, (i + 1) * c).unflatten(2, {heads, head_dim}); };
  return ops::attention(heads_of(0), heads_of(1), heads_of(2)).flatten(2, 3);  // [B, L, C]
}

}  // namespace

QKNorm::QKNorm(Module* parent, std::string name, int64_t head_dim)
    : Module(parent, std::move(name)), weight_(this, "weight", {head_dim}) {}

FluxSelfAttention::FluxSelfAttention(Module* parent, std::string name, const FluxConfig& c)
    : FusingModule(parent, std::move(name)),
      heads_(c.num_attention_heads),
      head_dim_(c.attention_head_dim),
      norm_q_(this, "norm_q", c.attention_head_dim),
      norm_k_(this, "norm_k", c.attention_head_dim),
      to_q_(this, "to_q", c.inner_dim(), c.inner_dim()),
      to_k_(this, "to_k", c.inner_dim(), c.inner_dim()),
      to_v_(this, "to_v", c.inner_dim(), c.inner_dim()) {}

Status FluxSelfAttention::after_load(const nn::LoadOptions&) {
  return catch_errors([&] { qk_norm_ = stack_vectors({&norm_q_.weight(), &norm_k_.weight()}); });
}

Tensor FluxSelfAttention::forward(const Tensor& qkv, const FluxRope& rope) const {
  norm_rope_qk(qkv, qk_norm_, heads_, head_dim_, rope.cos, rope.sin);
  return attend(qkv, heads_, head_dim_);  // [B, N, C]
}

FluxJointAttention::FluxJointAttention(Module* parent, std::string name, const FluxConfig& c)
    : FusingModule(parent, std::move(name)),
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

Status FluxJointAttention::after_load(const nn::LoadOptions&) {
  return catch_errors([&] {
    img_qkv_ = fuse_linears({&to_q_, &to_k_, &to_v_});
    txt_qkv_ = fuse_linears({&add_q_proj_, &add_k_proj_, &add_v_proj_});
    img_qk_norm_ = stack_vectors({&norm_q_.weight(), &norm_k_.weight()});
    txt_qk_norm_ = stack_vectors({&norm_added_q_.weight(), &norm_added_k_.weight()});
  });
}

std::pair<Tensor, Tensor> FluxJointAttention::forward(const Tensor& img, const Tensor& txt,
                                                      const FluxRope& rope) const {
  const int64_t b = img.size(0), l = img.size(1), t = txt.size(1), c = heads_ * head_dim_;
  const Tensor qkv = Tensor::empty({b, t + l, 3 * c}, img.dtype(), img.device());  // [B, T+L, 3C], text first
  const Tensor qkv_txt = qkv.slice(1, 0, t);                                        // [B, T, 3C]
  const Tensor qkv_img = qkv.slice(1, t, t + l);                                    // [B, L, 3C]
  ops::linear_into(qkv_txt, txt, txt_qkv_.weight, txt_qkv_.bias);
  ops::linear_into(qkv_img, img, img_qkv_.weight, img_qkv_.bias);
  norm_rope_qk(qkv_txt, txt_qk_norm_, heads_, head_dim_, rope.txt_cos(), rope.txt_sin());
  norm_rope_qk(qkv_img, img_qk_norm_, heads_, head_dim_, rope.img_cos(), rope.img_sin());
  const Tensor out = attend(qkv, heads_, head_dim_);                       // [B, T+L, C]
  const Tensor img_out = to_out_.forward(out.slice(1, t, t + l));          // [B, L, C]
  const Tensor txt_out = to_add_out_.forward(out.slice(1, 0, t));          // [B, T, C]
  return {img_out, txt_out};
}

}  // namespace dc::models::flux
