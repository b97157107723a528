#include "core/models/flux/single_stream_block.h"

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/modulation.h"

namespace dc::models::flux {

SingleStreamBlock::SingleStreamBlock(Module* parent, std::string name, const FluxConfig& c)
    : Module(parent, std::move(name)),
      norm_(this, "norm", c.inner_dim(), 3),
      proj_mlp_(this, "proj_mlp", c.inner_dim(), c.mlp_hidden_dim()),
      attn_(this, "attn", c),
      proj_out_(this, "proj_out", c.inner_dim() + c.mlp_hidden_dim(), c.inner_dim()) {}

Tensor SingleStreamBlock::forward(const Tensor& x, const Tensor& silu_temb, const FluxRope& rope) const {
  // AdaLayerNormZeroSingle chunk order: shift, scale, gate.
  const std::vector<Tensor> m = norm_.forward(silu_temb);                                           // 3 x [B, C]
  const Tensor h = ops::layer_norm_modulate(x, m[1], m[0], FluxConfig::kNormEps);                   // [B, N, C]
  const Tensor mlp = ops::activation(proj_mlp_.forward(h), ops::Activation::kGELUTanh);             // [B, N, 4C]
  const Tensor attn = attn_.forward(h, rope);                                                       // [B, N, C]
  const Tensor out = ops::gated_residual(x, m[2], proj_out_.forward(ops::concat({attn, mlp}, 2)));  // [B, N, C]
  tap("joint_hidden_states", out);
  return out;
}

}  // namespace dc::models::flux
