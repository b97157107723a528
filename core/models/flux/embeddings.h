// FLUX conditioning embeddings, mirroring diffusers/models/embeddings.py:
// TimestepEmbedding, PixArtAlphaTextProjection, and their sums
// CombinedTimestepTextProjEmbeddings / CombinedTimestepGuidanceTextProjEmbeddings
// (the model's "time_text_embed"). The sinusoidal Timesteps projection is
// ops::timestep_embedding (core/ops/timestep.h), computed on the model's device.
#pragma once

#include <memory>
#include <string>

#include "core/models/flux/config.h"
#include "core/nn/linear.h"

namespace dc::models::flux {

// TimestepEmbedding: linear_1 -> SiLU -> linear_2 (also PixArtAlphaTextProjection
// with act_fn="silu", which has the same keys and shape rule).
class MlpEmbedding : public nn::Module {
 public:
  MlpEmbedding(Module* parent, std::string name, int64_t in_features, int64_t dim);
  Tensor forward(const Tensor& x) const;  // [B, in] -> [B, dim]

 private:
  nn::Linear linear_1_;  // "linear_1"
  nn::Linear linear_2_;  // "linear_2"
};

// "time_text_embed": temb = timestep_embedder(proj(t)) [+ guidance_embedder(proj(g))] + text_embedder(pooled).
class TimeTextEmbedding : public nn::Module {
 public:
  TimeTextEmbedding(Module* parent, std::string name, const FluxConfig& c);
  // timestep/guidance: the features of ops::timestep_embedding() [B, 256]; guidance
  // undefined when the model has no guidance embedder. pooled [B, Cp] -> temb [B, C].
  Tensor forward(const Tensor& timestep_proj, const Tensor& guidance_proj, const Tensor& pooled) const;
  bool has_guidance() const { return guidance_embedder_ != nullptr; }

 private:
  MlpEmbedding timestep_embedder_;                   // "timestep_embedder"
  std::unique_ptr<MlpEmbedding> guidance_embedder_;  // "guidance_embedder" (guidance_embeds only)
  MlpEmbedding text_embedder_;                       // "text_embedder"
};

}  // namespace dc::models::flux
