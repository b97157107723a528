#include "core/models/flux/double_stream_block.h"

#include "core/ops/elementwise.h"
#include "core/ops/modulation.h"

namespace dc::models::flux {

FeedForward::FeedForward(Module* parent, std::string name, int64_t dim, int64_t inner_dim)
    : Module(parent, std::move(name)),
      proj_in_(this, "net.0.proj", dim, inner_dim),
      proj_out_(this, "net.2", inner_dim, dim) {}

Tensor FeedForward::forward(const Tensor& x) const {
  return proj_out_.forward(ops::activation(proj_in_.forward(x), ops::Activation::kGELUTanh));  // [B, L, C]
}

DoubleStreamBlock::DoubleStreamBlock(Module* parent, std::string name, const FluxConfig& c)
    : Module(parent, std::move(name)),
      norm1_(this, "norm1", c.inner_dim(), 6),
      norm1_context_(this, "norm1_context", c.inner_dim(), 6),
      attn_(this, "attn", c),
      ff_(this, "ff", c.inner_dim(), c.inner_dim() * FluxConfig::kMlpRatio),
      ff_context_(this, "ff_context", c.inner_dim(), c.inner_dim() * FluxConfig::kMlpRatio) {}

std::pair<Tensor, Tensor> DoubleStreamBlock::forward(const Tensor& img, const Tensor& txt, const Tensor& silu_temb,
                                                     const FluxRope& rope) const {
  constexpr float eps = FluxConfig::kNormEps;
  // AdaLayerNormZero chunk order: shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp.
  const std::vector<Tensor> m = norm1_.forward(silu_temb);                   // 6 x [B, C]
  const std::vector<Tensor> mc = norm1_context_.forward(silu_temb);          // 6 x [B, C]
  const Tensor norm_img = ops::layer_norm_modulate(img, m[1], m[0], eps);    // [B, L, C]
  const Tensor norm_txt = ops::layer_norm_modulate(txt, mc[1], mc[0], eps);  // [B, T, C]
  const auto [attn_img, attn_txt] = attn_.forward(norm_img, norm_txt, rope);

  Tensor x = ops::gated_residual(img, m[2], attn_img);                                                     // [B, L, C]
  x = ops::gated_residual(x, m[5], ff_.forward(ops::layer_norm_modulate(x, m[4], m[3], eps)));             // [B, L, C]
  Tensor c = ops::gated_residual(txt, mc[2], attn_txt);                                                    // [B, T, C]
  c = ops::gated_residual(c, mc[5], ff_context_.forward(ops::layer_norm_modulate(c, mc[4], mc[3], eps)));  // [B, T, C]
  tap("hidden_states", x);
  tap("encoder_hidden_states", c);
  return {x, c};
}

}  // namespace dc::models::flux
