// Counter-based random numbers (Philox-4x32-10): element i of a tensor drawn
// with seed s is a pure function of (s, i), so CPU and CUDA give identical
// noise and any slice can be regenerated alone.
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace dc::ops {

// Standard normal (Box-Muller on Philox outputs), f32 computed, cast to dtype.
Tensor randn(const Shape& shape, uint64_t seed, DType dtype = DType::kF32, Device device = Device::cpu());
// Uniform in [0, 1).
Tensor rand(const Shape& shape, uint64_t seed, DType dtype = DType::kF32, Device device = Device::cpu());

}  // namespace dc::ops
