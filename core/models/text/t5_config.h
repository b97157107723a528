// T5Config: the options of transformers' T5Config
// (transformers/models/t5/configuration_t5.py) that T5's encoder stack uses,
// read from a T5EncoderModel folder's config.json. Absent keys take T5Config's
// defaults, as transformers does.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/result.h"
#include "core/ops/elementwise.h"

namespace dc {
class ConfigReader;
}

namespace dc::models::text {

struct T5Config {
  int64_t vocab_size = 32128;
  int64_t d_model = 512;
  int64_t d_kv = 64;  // per-head width; num_heads * d_kv need not equal d_model
  int64_t d_ff = 2048;
  int64_t num_layers = 6;
  int64_t num_heads = 8;
  int64_t relative_attention_num_buckets = 32;
  int64_t relative_attention_max_distance = 128;
  double layer_norm_epsilon = 1e-6;
  // "relu" (original T5) or "gated-<act>" ("gated-gelu" for v1.1 / XXL / FLAN).
  std::string feed_forward_proj = "relu";
  // Derived from feed_forward_proj as T5Config does ("gated-gelu" means gelu_new,
  // the tanh approximation), unless config.json states dense_act_fn / is_gated_act,
  // which then win (transformers sets them from the file after deriving them).
  ops::Activation dense_act = ops::Activation::kReLU;
  bool is_gated_act = false;

  int64_t inner_dim() const { return num_heads * d_kv; }
};

// Errors (kFormat) name the file and key: sizes positive, feed_forward_proj of
// the form "<act>" or "gated-<act>" with a known activation.
Result<T5Config> parse_t5_config(const ConfigReader& config);

}  // namespace dc::models::text
