#include "core/models/flux/single_stream_block.h"

#include "core/nn/tap.h"
#include "core/ops/copy.h"
#include "core/ops/fused_linear.h"
#include "core/ops/modulation.h"
#include "core/ops/transformer_inplace.h"

namespace dc::models::flux {
namespace {

// A tap records a copy: later blocks update the residual stream in place.
Tensor snapshot(const Tensor& t) { return nn::tap_enabled() ? ops::clone(t) : t; }

}  // namespace

SingleStreamBlock::SingleStreamBlock(Module* parent, std::string name, const FluxConfig& c)
    : FusingModule(parent, std::move(name)),
      inner_dim_(c.inner_dim()),
      mlp_dim_(c.mlp_hidden_dim()),
      norm_(this, "norm", c.inner_dim(), 3),
      proj_mlp_(this, "proj_mlp", c.inner_dim(), c.mlp_hidden_dim()),
      attn_(this, "attn", c),
      proj_out_(this, "proj_out", c.inner_dim() + c.mlp_hidden_dim(), c.inner_dim()) {}

Status SingleStreamBlock::after_load(const nn::LoadOptions&) {
  return catch_errors([&] {
    std::vector<const nn::Linear*> layers = attn_.projections();
    layers.push_back(&proj_mlp_);
    qkv_mlp_ = fuse_linears(layers);
  });
}

void SingleStreamBlock::forward(const Tensor& x, const Tensor& mod, const FluxRope& rope) const {
  const int64_t c = inner_dim_;
  // AdaLayerNormZeroSingle chunk order: shift, scale, gate.
  const std::vector<Tensor> m = norm_.split(mod);                                  // 3 x [B, C]
  const Tensor h = ops::layer_norm_modulate(x, m[1], m[0], FluxConfig::kNormEps);  // [B, N, C]
  const Tensor y = qkv_mlp_.forward(h);                                            // [B, N, 3C + 4C]: q, k, v, mlp
  ops::activation_(y.slice(2, 3 * c, 3 * c + mlp_dim_), ops::Activation::kGELUTanh);
  const Tensor attn = attn_.forward(y, rope);  // [B, N, C]; q, k normalized in place
  const Tensor attn_mlp = y.slice(2, 2 * c, 3 * c + mlp_dim_);                     // [B, N, C + 4C] view
  ops::copy_(attn_mlp.slice(2, 0, c), attn);                                       // over v's columns
  const Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());              // [B, N, C]
  ops::linear_into(out, attn_mlp, proj_out_.weight(), proj_out_.bias());
  ops::gated_residual_(x, m[2], out);  // [B, N, C]
  tap("joint_hidden_states", snapshot(x));
}

}  // namespace dc::models::flux
