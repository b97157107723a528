// 2-D convolution in NCHW, as torch.nn.functional.conv2d (cross-correlation,
// zero padding). weight [Cout, Cin/groups, kh, kw], bias [Cout] optional.
#pragma once

#include "core/ops/elementwise.h"
#include "core/tensor/tensor.h"

namespace dc::ops {

struct Conv2dOptions {
  int stride = 1;
  int padding = 0;
  int groups = 1;
  // Applied last: out = activation(conv(x) + bias + residual) (cuDNN's fused
  // conv-bias-activation order); kIdentity leaves the sum as is.
  Activation activation = Activation::kIdentity;
};

// `residual` (optional, output-shaped) is added in the same pass: conv + bias + residual.
// x may be contiguous or channels-last; the output has x's layout.
Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dOptions& opt,
              const Tensor& residual = {});

}  // namespace dc::ops
