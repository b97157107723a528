// The blocks of T5's encoder stack, mirroring transformers/models/t5/modeling_t5.py
// (T5LayerNorm, T5Attention, T5LayerSelfAttention, T5DenseActDense /
// T5DenseGatedActDense, T5LayerFF, T5Block), with the same checkpoint names.
#pragma once

#include <optional>

#include "core/models/text/t5_config.h"
#include "core/nn/linear.h"

namespace dc::models::text {

// RMS norm without mean subtraction or bias; statistics in f32, the result in
// the weight's dtype (T5LayerNorm casts to half weights before scaling).
class T5LayerNorm : public nn::Module {
 public:
  T5LayerNorm(Module* parent, std::string name, int64_t channels, float eps);
  Tensor forward(const Tensor& x) const;  // [..., C] -> [..., C] in the weight's dtype

 private:
  float eps_;
  nn::Parameter weight_;  // "weight" [C]
};

// Self-attention without score scaling; the relative position bias (layer 0
// owns it, every layer adds it) and the padding mask come from the caller.
class T5Attention : public nn::Module {
 public:
  T5Attention(Module* parent, std::string name, const T5Config& c, bool has_relative_attention_bias);
  // x [B, L, d_model], bias f32 [1, H, L, L], key_mask u8 [B, L] or undefined.
  Tensor forward(const Tensor& x, const Tensor& bias, const Tensor& key_mask) const;
  // f32 [1, H, Lq, Lk] from relative_attention_bias (only when has_relative_attention_bias).
  Tensor position_bias(int64_t query_length, int64_t key_length) const;

 private:
  int64_t heads_, d_kv_, num_buckets_, max_distance_;
  nn::Linear q_;  // "q"
  nn::Linear k_;  // "k"
  nn::Linear v_;  // "v"
  nn::Linear o_;  // "o"
  std::optional<nn::Embedding> relative_attention_bias_;  // "relative_attention_bias" [num_buckets, H]
};

// layer.0: x + SelfAttention(layer_norm(x)).
class T5LayerSelfAttention : public nn::Module {
 public:
  T5LayerSelfAttention(Module* parent, std::string name, const T5Config& c, bool has_relative_attention_bias);
  Tensor forward(const Tensor& x, const Tensor& bias, const Tensor& key_mask) const;
  const T5Attention& attention() const { return self_attention_; }

 private:
  T5LayerNorm layer_norm_;       // "layer_norm"
  T5Attention self_attention_;   // "SelfAttention"
};

// A bias-free linear layer whose weight may stay f32 under a half compute dtype
// (T5's "wo": transformers' _keep_in_fp32_modules at f16); the input is cast to
// the weight's dtype, as T5DenseActDense does.
class T5OutputLinear : public nn::Module {
 public:
  T5OutputLinear(Module* parent, std::string name, int64_t in, int64_t out, bool keep_f32);
  Tensor forward(const Tensor& x) const;  // [..., in] -> [..., out] in the weight's dtype

 private:
  nn::Parameter weight_;  // "weight" [out, in]
};

// "DenseReluDense": wo(act(wi(x))) or, gated, wo(act(wi_0(x)) * wi_1(x)).
class T5FeedForward : public nn::Module {
 public:
  T5FeedForward(Module* parent, std::string name, const T5Config& c, bool keep_wo_f32);
  Tensor forward(const Tensor& x) const;

 private:
  ops::Activation act_;
  std::optional<nn::Linear> wi_;    // "wi" (not gated)
  std::optional<nn::Linear> wi_0_;  // "wi_0" (gated: through the activation)
  std::optional<nn::Linear> wi_1_;  // "wi_1" (gated: linear)
  T5OutputLinear wo_;               // "wo"
};

// layer.1: x + DenseReluDense(layer_norm(x)).
class T5LayerFF : public nn::Module {
 public:
  T5LayerFF(Module* parent, std::string name, const T5Config& c, bool keep_wo_f32);
  Tensor forward(const Tensor& x) const;

 private:
  T5LayerNorm layer_norm_;  // "layer_norm"
  T5FeedForward dense_;     // "DenseReluDense"
};

// "encoder.block.<i>": layer.0 (self-attention) then layer.1 (feed-forward).
class T5Block : public nn::Module {
 public:
  T5Block(Module* parent, std::string name, const T5Config& c, bool has_relative_attention_bias, bool keep_wo_f32);
  Tensor forward(const Tensor& x, const Tensor& bias, const Tensor& key_mask) const;
  const T5Attention& attention() const { return self_attention_.attention(); }

 private:
  nn::Module layer_;                     // "layer"
  T5LayerSelfAttention self_attention_;  // "layer.0"
  T5LayerFF feed_forward_;               // "layer.1"
};

// a + b in the wider of their dtypes (torch promotion: a half residual stream
// meeting T5's f32 "wo" output becomes f32, as in transformers at f16).
Tensor t5_residual_add(const Tensor& a, const Tensor& b);

}  // namespace dc::models::text
