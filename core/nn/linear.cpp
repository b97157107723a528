#include "core/nn/linear.h"

#include "core/ops/embedding.h"
#include "core/ops/gemm.h"
#include "core/ops/norm.h"

namespace dc::nn {

Linear::Linear(Module* parent, std::string name, int64_t in_features, int64_t out_features, bool bias)
    : Module(parent, std::move(name)),
      in_(in_features),
      out_(out_features),
      weight_(this, "weight", {out_features, in_features}),
      bias_(this, "bias", {out_features}, bias ? ParamKind::kRequired : ParamKind::kAbsent) {}

Tensor Linear::forward(const Tensor& x) const { return ops::linear(x, weight_.get(), bias_.get()); }

LayerNorm::LayerNorm(Module* parent, std::string name, int64_t channels, float eps, bool affine, bool bias)
    : Module(parent, std::move(name)),
      eps_(eps),
      weight_(this, "weight", {channels}, affine ? ParamKind::kRequired : ParamKind::kAbsent),
      bias_(this, "bias", {channels}, affine && bias ? ParamKind::kRequired : ParamKind::kAbsent) {}

Tensor LayerNorm::forward(const Tensor& x) const { return ops::layer_norm(x, weight_.get(), bias_.get(), eps_); }

Embedding::Embedding(Module* parent, std::string name, int64_t num_embeddings, int64_t dim)
    : Module(parent, std::move(name)), weight_(this, "weight", {num_embeddings, dim}) {}

Tensor Embedding::forward(const Tensor& ids) const { return ops::embedding(weight_.get(), ids); }

}  // namespace dc::nn
