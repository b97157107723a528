#include "core/models/flux/embeddings.h"

#include <cmath>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"

namespace dc::models::flux {
namespace {

float round_to(DType dtype, float v) {
  switch (dtype) {
    case DType::kBF16:
      return bf16_to_f32(f32_to_bf16(v));
    case DType::kF16:
      return f16_to_f32(f32_to_f16(v));
    default:
      return v;
  }
}

}  // namespace

std::vector<float> scale_by_1000_in(DType dtype, const std::vector<float>& values) {
  std::vector<float> out;
  for (float v : values) out.push_back(round_to(dtype, round_to(dtype, v) * 1000.0f));
  return out;
}

Tensor timestep_features(const std::vector<float>& values, int64_t channels, DType dtype, Device device) {
  const int64_t half = channels / 2;
  // Same f32 operation order as diffusers: exponent = (-ln(max_period) · i) / half.
  const float neg_log_period = static_cast<float>(-std::log(10000.0));
  std::vector<float> freqs(half);
  for (int64_t i = 0; i < half; ++i) {
    freqs[i] = std::exp((neg_log_period * static_cast<float>(i)) / static_cast<float>(half));
  }
  const int64_t b = static_cast<int64_t>(values.size());
  Tensor out = ops::zeros({b, channels}, DType::kF32);  // zero pad for odd channels
  float* o = out.data<float>();
  for (int64_t r = 0; r < b; ++r) {
    for (int64_t i = 0; i < half; ++i) {
      const float arg = values[r] * freqs[i];
      o[r * channels + i] = std::cos(arg);  // flip_sin_to_cos: cos first
      o[r * channels + half + i] = std::sin(arg);
    }
  }
  return ops::to_device(ops::cast(out, dtype), device);
}

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
