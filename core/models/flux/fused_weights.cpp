#include "core/models/flux/fused_weights.h"

#include "core/base/assert.h"
#include "core/ops/copy.h"
#include "core/ops/gemm.h"

namespace dc::models::flux {

Tensor FusedLinear::forward(const Tensor& x) const { return ops::linear(x, weight, bias); }

const nn::Parameter* parameter_of(const nn::Module& module, const std::string& name) {
  const std::string key = module.path().empty() ? name : module.path() + "." + name;
  for (const nn::Parameter* p : module.parameters())
    if (p->key() == key) return p;
  return nullptr;
}

Tensor FusingModule::concat_shared(const std::vector<const nn::Parameter*>& params) {
  std::vector<Tensor> parts;
  for (const nn::Parameter* p : params) {
    DC_CHECK(p->defined(), "fusion: parameter '" << p->key() << "' is not loaded");
    parts.push_back(p->get());
  }
  const Tensor all = ops::concat(parts, 0);
  int64_t row = 0;
  for (const nn::Parameter* p : params) {
    const int64_t rows = p->get().size(0);
    share_parameter(*p, all.slice(0, row, row + rows));
    row += rows;
  }
  return all;
}

FusedLinear FusingModule::fuse_linears(const std::vector<const nn::Linear*>& layers) {
  DC_CHECK(!layers.empty(), "fuse_linears: no layers");
  std::vector<const nn::Parameter*> weights, biases;
  for (const nn::Linear* layer : layers) {
    const nn::Parameter* w = parameter_of(*layer, "weight");
    DC_CHECK(w && w->defined() && w->get().dim() == 2 && layer->in_features() == layers[0]->in_features(),
             "fuse_linears: '" << layer->path() << "' is not a dense Linear with " << layers[0]->in_features()
                               << " inputs");
    weights.push_back(w);
    if (const nn::Parameter* b = parameter_of(*layer, "bias"); b && b->defined()) biases.push_back(b);
  }
  DC_CHECK(biases.empty() || biases.size() == layers.size(),
           "fuse_linears: '" << layers[0]->path() << "' and the layers fused with it do not all have a bias");
  FusedLinear fused;
  fused.weight = concat_shared(weights);  // [ΣN, K]
  if (!biases.empty()) fused.bias = concat_shared(biases);  // [ΣN]
  return fused;
}

Tensor FusingModule::stack_vectors(const std::vector<const nn::Parameter*>& params) {
  DC_CHECK(!params.empty(), "stack_vectors: no parameters");
  const int64_t d = params[0]->get().size(0);
  for (const nn::Parameter* p : params)
    DC_CHECK(p->get().dim() == 1 && p->get().size(0) == d,
             "stack_vectors: '" << p->key() << "' is not a vector of " << d);
  return concat_shared(params).view({static_cast<int64_t>(params.size()), d});  // [G, D]
}

}  // namespace dc::models::flux
