#include "core/models/flux/ada_norm.h"

namespace dc::models::flux {

AdaNormModulation::AdaNormModulation(Module* parent, std::string name, int64_t dim, int64_t chunks)
    : Module(parent, std::move(name)), dim_(dim), chunks_(chunks), linear_(this, "linear", dim, chunks * dim) {}

std::vector<Tensor> AdaNormModulation::forward(const Tensor& silu_temb) const {
  const Tensor emb = linear_.forward(silu_temb);  // [B, chunks·C]
  std::vector<Tensor> parts;
  for (int64_t i = 0; i < chunks_; ++i) parts.push_back(emb.slice(1, i * dim_, (i + 1) * dim_));  // [B, C]
  return parts;
}

}  // namespace dc::models::flux
