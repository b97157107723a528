// Matrix products. f32 accumulates in f32 (no TF32); bf16/f16 inputs accumulate
// in f32 and round the output once.
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

// [..., M, K] x [..., K, N] -> [..., M, N]; batch dims must match (b may have none).
Tensor matmul(const Tensor& a, const Tensor& b);
// x [..., K] · weight[N, K]^T + bias[N] (optional) -> [..., N], like torch.nn.functional.linear.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias = {});

}  // namespace dc::ops
