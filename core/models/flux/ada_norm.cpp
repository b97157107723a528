#include "core/models/flux/ada_norm.h"

#include "core/base/assert.h"

namespace dc::models::flux {

AdaNormModulation::AdaNormModulation(Module* parent, std::string name, int64_t dim, int64_t chunks)
    : Module(parent, std::move(name)), dim_(dim), chunks_(chunks), linear_(this, "linear", dim, chunks * dim) {}

std::vector<Tensor> AdaNormModulation::split(const Tensor& emb) const {
  DC_ASSERT(emb.dim() == 2 && emb.size(1) == width(), "AdaNormModulation: " << emb.describe() << " is not [B, "
                                                                             << width() << "]");
  return emb.chunk(chunks_, 1);  // chunks_ x [B, C]
}

}  // namespace dc::models::flux
