// Weight fusion for FLUX layers that read the same input. diffusers keeps them
// separate (to_q / to_k / to_v, add_*_proj, proj_mlp, every adaLN linear); here
// their weights are stacked along the output dim after load so one GEMM
// computes them all. The nn::Linear members stay bound to their checkpoint keys
// (so loading, key reports and the future 4-bit layer see diffusers' layout);
// after load each one's parameters are re-pointed at its rows of the stacked
// matrix, so every weight is stored once.
//
//   class Block : public FusingModule {
//     Status after_load(const nn::LoadOptions&) override {
//       return catch_errors([&] { qkv_ = fuse_linears({&to_q_, &to_k_, &to_v_}); });
//     }
//     FusedLinear qkv_;   // [3C, C]: one GEMM instead of three
//   };
#pragma once

#include <string>
#include <vector>

#include "core/nn/linear.h"

namespace dc::models::flux {

struct FusedLinear {
  Tensor weight;  // [ΣN, K]: the layers' weights, in the order given
  Tensor bias;    // [ΣN], or undefined when the layers have no bias

  Tensor forward(const Tensor& x) const;  // [..., K] -> [..., ΣN]
};

class FusingModule : public nn::Module {
 public:
  using nn::Module::Module;

 protected:
  // Stacks dense nn::Linear layers of this subtree with the same in_features
  // (all with a bias, or none); throws on layers that cannot be stacked.
  FusedLinear fuse_linears(const std::vector<const nn::Linear*>& layers);
  // Stacks 1-D parameters [D] of this subtree into [G, D] (e.g. the q and k norm weights).
  Tensor stack_vectors(const std::vector<const nn::Parameter*>& params);

 private:
  // The parameters concatenated along dim 0, each re-pointed at its rows.
  Tensor concat_shared(const std::vector<const nn::Parameter*>& params);
};

// The parameter `name` ("weight", "bias") of `module`, or null when it has none.
const nn::Parameter* parameter_of(const nn::Module& module, const std::string& name);

}  // namespace dc::models::flux
