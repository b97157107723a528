// torch.nn.Linear: "weight" [out, in], optional "bias" [out].
// Dense weights today; the SVDQuant W4A4 layer (int4 weights + per-group scales
// + a 16-bit low-rank branch that LoRA extends) will bind its own checkpoint
// keys under the same module path and keep this forward() signature, so blocks
// hold a Linear and never know which kind of weights it carries.
#pragma once

#include "core/nn/module.h"

namespace dc::nn {

class Linear : public Module {
 public:
  Linear(Module* parent, std::string name, int64_t in_features, int64_t out_features, bool bias = true);
  Tensor forward(const Tensor& x) const;  // [..., in] -> [..., out]
  int64_t in_features() const { return in_; }
  int64_t out_features() const { return out_; }
  const Tensor& weight() const { return weight_.get(); }
  const Tensor& bias() const { return bias_.get(); }  // undefined when the layer has none

 private:
  int64_t in_, out_;
  Parameter weight_;  // "weight"
  Parameter bias_;    // "bias"
};

// torch.nn.LayerNorm over the last dim; "weight"/"bias" [C] when elementwise_affine.
class LayerNorm : public Module {
 public:
  LayerNorm(Module* parent, std::string name, int64_t channels, float eps, bool affine = true, bool bias = true);
  Tensor forward(const Tensor& x) const;

 private:
  float eps_;
  Parameter weight_;  // "weight"
  Parameter bias_;    // "bias"
};

// torch.nn.Embedding: "weight" [num_embeddings, dim].
class Embedding : public Module {
 public:
  Embedding(Module* parent, std::string name, int64_t num_embeddings, int64_t dim);
  Tensor forward(const Tensor& ids) const;  // ids i64/i32 [...] -> [..., dim]
  const Tensor& weight() const { return weight_.get(); }

 private:
  Parameter weight_;  // "weight"
};

}  // namespace dc::nn
