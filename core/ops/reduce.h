// Comparison helpers used by tests, benchmarks and parity tooling.
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

// ‖a − b‖₂ / ‖b‖₂ computed in f64 on the CPU (copies device tensors back).
double relative_l2(const Tensor& a, const Tensor& b);
double max_abs_diff(const Tensor& a, const Tensor& b);
bool all_finite(const Tensor& x);

}  // namespace dc::ops
