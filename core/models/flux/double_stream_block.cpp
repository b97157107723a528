#include "core/models/flux/double_stream_block.h"

#include "core/nn/tap.h"
#include "core/ops/copy.h"
#include "core/ops/modulation.h"
#include "core/ops/transformer_inplace.h"

namespace dc::models::flux {
namespace {

// A tap records a copy: later blocks update the residual stream in place.
Tensor snapshot(const Tensor& t) { return nn::tap_enabled() ? ops::clone(t) : t; }

}  // namespace

FeedForward::FeedForward(Module* parent, std::string name, int64_t dim, int64_t inner_dim)
    : Module(parent, std::move(name)),
      proj_in_(this, "net.0.proj", dim, inner_dim),
      proj_out_(this, "net.2", inner_dim, dim) {}

Tensor FeedForward::forward(const Tensor& x) const {
  const Tensor h = proj_in_.forward(x);              // [B, L, 4C]
  ops::activation_(h, ops::Activation::kGELUTanh);  // in place
  return proj_out_.forward(h);                       // [B, L, C]
}

DoubleStreamBlock::DoubleStreamBlock(Module* parent, std::string name, const FluxConfig& c)
    : Module(parent, std::move(name)),
      norm1_(this, "norm1", c.inner_dim(), 6),
      norm1_context_(this, "norm1_context", c.inner_dim(), 6),
      attn_(this, "attn", c),
      ff_(this, "ff", c.inner_dim(), c.inner_dim() * FluxConfig::kMlpRatio),
      ff_context_(this, "ff_context", c.inner_dim(), c.inner_dim() * FluxConfig::kMlpRatio) {}

void DoubleStreamBlock::forward(const Tensor& img, const Tensor& txt, const Tensor& mod_img, const Tensor& mod_txt,
                                const FluxRope& rope) const {
  constexpr float eps = FluxConfig::kNormEps;
  // AdaLayerNormZero chunk order: shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp.
  const std::vector<Tensor> m = norm1_.split(mod_img);                       // 6 x [B, C]
  const std::vector<Tensor> mc = norm1_context_.split(mod_txt);              // 6 x [B, C]
  const Tensor norm_img = ops::layer_norm_modulate(img, m[1], m[0], eps);    // [B, L, C]
  const Tensor norm_txt = ops::layer_norm_modulate(txt, mc[1], mc[0], eps);  // [B, T, C]
  const auto [attn_img, attn_txt] = attn_.forward(norm_img, norm_txt, rope);

  ops::gated_residual_(img, m[2], attn_img);                                                     // [B, L, C]
  ops::gated_residual_(img, m[5], ff_.forward(ops::layer_norm_modulate(img, m[4], m[3], eps)));  // [B, L, C]
  ops::gated_residual_(txt, mc[2], attn_txt);                                                    // [B, T, C]
  ops::gated_residual_(txt, mc[5], ff_context_.forward(ops::layer_norm_modulate(txt, mc[4], mc[3], eps)));
  tap("hidden_states", snapshot(img));
  tap("encoder_hidden_states", snapshot(txt));
}

}  // namespace dc::models::flux
