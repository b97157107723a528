#include "core/models/flux/embeddings.h"

#include "core/ops/elementwise.h"

namespace dc::models::flux {

MlpEmbedding::MlpEmbedding(Module* parent, std::string name, int64_t in_features, int64_t dim)
    : Module(parent, std::move(name)),
      linear_1_(this, "linear_1", in_features, dim),
      linear_2_(this, "linear_2", dim, dim) {}

Tensor MlpEmbedding::forward(const Tensor& x) const {
  return linear_2_.forward(ops::activation(linear_1_.forward(x), ops::Activation::kSiLU));  // [B, dim]
}

TimeTextEmbedding::TimeTextEmbedding(Module* parent, std::string name, const FluxConfig& c)
    : Module(parent, std::move(name)),
      timestep_embedder_(this, "timestep_embedder", FluxConfig::kTimestepChannels, c.inner_dim()),
      guidance_embedder_(
          c.guidance_embeds
              ? std::make_unique<MlpEmbedding>(this, "guidance_embedder", FluxConfig::kTimestepChannels, c.inner_dim())
              : nullptr),
      text_embedder_(this, "text_embedder", c.pooled_projection_dim, c.inner_dim()) {}

Tensor TimeTextEmbedding::forward(const Tensor& timestep_proj, const Tensor& guidance_proj,
                                  const Tensor& pooled) const {
  Tensor temb = timestep_embedder_.forward(timestep_proj);  // [B, C]
  if (guidance_embedder_) temb = ops::add(temb, guidance_embedder_->forward(guidance_proj));
  return ops::add(temb, text_embedder_.forward(pooled));  // [B, C]
}

}  // namespace dc::models::flux
