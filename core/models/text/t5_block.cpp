#include "core/models/text/t5_block.h"

#include "core/base/assert.h"
#include "core/models/text/t5_relative_position.h"
#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/embedding.h"
#include "core/ops/gemm.h"
#include "core/ops/norm.h"

namespace dc::models::text {

Tensor t5_residual_add(const Tensor& a, const Tensor& b) {
  if (a.dtype() != DType::kF32 && b.dtype() == DType::kF32) return ops::add(ops::cast(a, DType::kF32), b);
  return ops::add(a, b);
}

T5LayerNorm::T5LayerNorm(Module* parent, std::string name, int64_t channels, float eps)
    : Module(parent, std::move(name)), eps_(eps), weight_(this, "weight", {channels}) {}

Tensor T5LayerNorm::forward(const Tensor& x) const {
  const Tensor& w = weight_.get();
  // x may be an f32 residual stream under half weights: normalize in x's dtype, then round to w's.
  return ops::cast(ops::rms_norm(x, w, {}, eps_), w.dtype());
}

T5Attention::T5Attention(Module* parent, std::string name, const T5Config& c, bool has_relative_attention_bias)
    : Module(parent, std::move(name)),
      heads_(c.num_heads),
      d_kv_(c.d_kv),
      num_buckets_(c.relative_attention_num_buckets),
      max_distance_(c.relative_attention_max_distance),
      q_(this, "q", c.d_model, c.inner_dim(), /*bias=*/false),
      k_(this, "k", c.d_model, c.inner_dim(), false),
      v_(this, "v", c.d_model, c.inner_dim(), false),
      o_(this, "o", c.inner_dim(), c.d_model, false) {
  if (has_relative_attention_bias) {
    relative_attention_bias_.emplace(this, "relative_attention_bias", c.relative_attention_num_buckets, c.num_heads);
  }
}

Tensor T5Attention::position_bias(int64_t query_length, int64_t key_length) const {
  DC_ASSERT(relative_attention_bias_.has_value(), "position_bias on a T5 layer without relative_attention_bias");
  const Tensor& table = relative_attention_bias_->weight();
  const Tensor buckets = t5_relative_position_buckets(query_length, key_length, /*bidirectional=*/true, num_buckets_,
                                                      max_distance_);             // i64 [Lq, Lk]
  const Tensor values = ops::embedding(table, ops::to_device(buckets, table.device()));  // [Lq, Lk, H]
  return ops::contiguous(ops::cast(values.permute({2, 0, 1}), DType::kF32)).unsqueeze(0);  // [1, H, Lq, Lk]
}

Tensor T5Attention::forward(const Tensor& x, const Tensor& bias, const Tensor& key_mask) const {
  const int64_t b = x.size(0), l = x.size(1);
  const Shape heads{b, l, heads_, d_kv_};
  const Tensor q = q_.forward(x).view(heads);  // [B, L, H, d_kv]
  const Tensor k = k_.forward(x).view(heads);  // [B, L, H, d_kv]
  const Tensor v = v_.forward(x).view(heads);  // [B, L, H, d_kv]
  ops::AttentionOptions options;
  options.scale = 1.0f;  // T5 folds the scale into its weights: raw q·k plus the position bias
  options.bias = bias;
  options.key_mask = key_mask;
  const Tensor out = ops::attention(q, k, v, options);  // [B, L, H, d_kv]
  return o_.forward(out.view({b, l, heads_ * d_kv_}));                                          // [B, L, d_model]
}

T5LayerSelfAttention::T5LayerSelfAttention(Module* parent, std::string name, const T5Config& c,
                                           bool has_relative_attention_bias)
    : Module(parent, std::move(name)),
      layer_norm_(this, "layer_norm", c.d_model, static_cast<float>(c.layer_norm_epsilon)),
      self_attention_(this, "SelfAttention", c, has_relative_attention_bias) {}

Tensor T5LayerSelfAttention::forward(const Tensor& x, const Tensor& bias, const Tensor& key_mask) const {
  return t5_residual_add(x, self_attention_.forward(layer_norm_.forward(x), bias, key_mask));  // [B, L, d_model]
}

T5OutputLinear::T5OutputLinear(Module* parent, std::string name, int64_t in, int64_t out, bool keep_f32)
    : Module(parent, std::move(name)), weight_(this, "weight", {out, in}, nn::ParamKind::kRequired, keep_f32) {}

Tensor T5OutputLinear::forward(const Tensor& x) const {
  const Tensor& w = weight_.get();
  return ops::linear(ops::cast(x, w.dtype()), w);
}

T5FeedForward::T5FeedForward(Module* parent, std::string name, const T5Config& c, bool keep_wo_f32)
    : Module(parent, std::move(name)), act_(c.dense_act), wo_(this, "wo", c.d_ff, c.d_model, keep_wo_f32) {
  if (c.is_gated_act) {
    wi_0_.emplace(this, "wi_0", c.d_model, c.d_ff, /*bias=*/false);
    wi_1_.emplace(this, "wi_1", c.d_model, c.d_ff, false);
  } else {
    wi_.emplace(this, "wi", c.d_model, c.d_ff, false);
  }
}

Tensor T5FeedForward::forward(const Tensor& x) const {
  const Tensor hidden = wi_ ? ops::activation(wi_->forward(x), act_)                                  // [B, L, d_ff]
                            : ops::gated_activation(wi_1_->forward(x), wi_0_->forward(x), act_);  // [B, L, d_ff]
  return wo_.forward(hidden);  // [B, L, d_model]
}

T5LayerFF::T5LayerFF(Module* parent, std::string name, const T5Config& c, bool keep_wo_f32)
    : Module(parent, std::move(name)),
      layer_norm_(this, "layer_norm", c.d_model, static_cast<float>(c.layer_norm_epsilon)),
      dense_(this, "DenseReluDense", c, keep_wo_f32) {}

Tensor T5LayerFF::forward(const Tensor& x) const {
  return t5_residual_add(x, dense_.forward(layer_norm_.forward(x)));  // [B, L, d_model]
}

T5Block::T5Block(Module* parent, std::string name, const T5Config& c, bool has_relative_attention_bias,
                 bool keep_wo_f32)
    : Module(parent, std::move(name)),
      layer_(this, "layer"),
      self_attention_(&layer_, "0", c, has_relative_attention_bias),
      feed_forward_(&layer_, "1", c, keep_wo_f32) {}

Tensor T5Block::forward(const Tensor& x, const Tensor& bias, const Tensor& key_mask) const {
  const Tensor h = self_attention_.forward(x, bias, key_mask);  // [B, L, d_model]
  tap("attn_residual", h);
  return feed_forward_.forward(h);  // [B, L, d_model]
}

}  // namespace dc::models::text
