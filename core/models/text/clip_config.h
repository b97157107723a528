// ClipTextConfig: the options of transformers' CLIPTextConfig
// (transformers/models/clip/configuration_clip.py) that the text tower's forward
// uses, read from a CLIPTextModel folder's config.json. Absent keys take
// CLIPTextConfig's defaults, as transformers does.
#pragma once

#include <cstdint>

#include "core/base/result.h"
#include "core/ops/elementwise.h"

namespace dc {
class ConfigReader;
}

namespace dc::models::text {

struct ClipTextConfig {
  int64_t vocab_size = 49408;
  int64_t hidden_size = 512;
  int64_t intermediate_size = 2048;
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 8;
  int64_t max_position_embeddings = 77;
  ops::Activation hidden_act = ops::Activation::kQuickGELU;
  double layer_norm_eps = 1e-5;
  // Chooses the pooling rule: 2 (configs older than transformers PR #24773) pools
  // at argmax(input_ids); anything else at the first position holding this id.
  int64_t eos_token_id = 49407;

  int64_t head_dim() const { return hidden_size / num_attention_heads; }
  bool legacy_eos_pooling() const { return eos_token_id == 2; }
};

// Errors (kFormat) name the file and key: sizes must be positive, hidden_size
// divisible by num_attention_heads, hidden_act a known activation.
Result<ClipTextConfig> parse_clip_text_config(const ConfigReader& config);

}  // namespace dc::models::text
