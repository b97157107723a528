// Pointwise ops. Binary ops broadcast `b` to `a`'s shape (PyTorch rules, b's
// rank ≤ a's); the result has a's dtype and device. Activations follow the
// formulas of torch.nn.functional.
#pragma once

#include <string_view>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc::ops {

enum class Activation {
  kIdentity,
  kReLU,
  kReLU6,
  kSiLU,
  kGELU,      // erf form
  kGELUTanh,  // tanh approximation ("gelu_pytorch_tanh")
  kQuickGELU, // x * sigmoid(1.702 x) (CLIP)
};
// Parses diffusers/transformers names: "relu", "relu6", "silu"/"swish", "gelu", "gelu_pytorch_tanh", "quick_gelu", null/"identity".
Result<Activation> activation_from_name(std::string_view name);

Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor scale(const Tensor& a, float s);            // a * s
Tensor activation(const Tensor& x, Activation act);
// hidden * act(gate), same shapes (GLU family, e.g. GLUMBConv's silu gate).
Tensor gated_activation(const Tensor& hidden, const Tensor& gate, Activation act);

}  // namespace dc::ops
