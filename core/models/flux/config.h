// FluxConfig: every option of diffusers' FluxTransformer2DModel config.json
// (diffusers/models/transformers/transformer_flux.py, FluxTransformer2DModel.__init__).
//
//   DC_TRY(FluxConfig c, parse_flux_config(component.config));
//   c.inner_dim();  // num_attention_heads * attention_head_dim
#pragma once

#include <cstdint>
#include <vector>

#include "core/base/result.h"

namespace dc {
class ConfigReader;
}

namespace dc::models::flux {

struct FluxConfig {
  // Only 1 appears in published FLUX checkpoints; diffusers uses it only to size
  // proj_out (patch_size² · out_channels outputs per token), and so do we.
  int64_t patch_size = 1;
  int64_t in_channels = 64;        // 64: 16-ch VAE packed 2x2; DC-Gen's 1x1 DC-AE tokens: 32 or 128
  int64_t out_channels = 64;       // config null (or 0: diffusers writes `out_channels or in_channels`) -> in_channels
  int64_t num_layers = 19;         // double-stream (MMDiT) blocks
  int64_t num_single_layers = 38;  // single-stream blocks
  int64_t attention_head_dim = 128;
  int64_t num_attention_heads = 24;
  int64_t joint_attention_dim = 4096;                  // text-encoder (T5) channels
  int64_t pooled_projection_dim = 768;                 // pooled CLIP channels
  bool guidance_embeds = false;                        // guidance-distilled (FLUX.1-dev / Krea): a guidance embedder
  std::vector<int64_t> axes_dims_rope = {16, 56, 56};  // RoPE dims per position-id axis; sum = head dim

  // FluxPosEmbed's theta (fixed in diffusers, not a config key).
  static constexpr double kRopeTheta = 10000.0;
  // Timesteps(num_channels=256) of CombinedTimestep*Embeddings (fixed in diffusers).
  static constexpr int64_t kTimestepChannels = 256;
  // FluxSingleTransformerBlock mlp_ratio and FeedForward mult (both 4 in diffusers).
  static constexpr int64_t kMlpRatio = 4;
  // eps of every LayerNorm / AdaLayerNorm and of the QK RMSNorms.
  static constexpr float kNormEps = 1e-6f;

  int64_t inner_dim() const { return num_attention_heads * attention_head_dim; }
  int64_t mlp_hidden_dim() const { return inner_dim() * kMlpRatio; }
  int64_t output_channels() const { return patch_size * patch_size * out_channels; }  // proj_out width
};

// Parses and validates (positive sizes, even RoPE axes summing to attention_head_dim);
// errors name the file and key.
Result<FluxConfig> parse_flux_config(const ConfigReader& config);

}  // namespace dc::models::flux
