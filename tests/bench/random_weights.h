// Random weights for benchmarking a module tree in the real layout without a
// checkpoint: each parameter drawn from Philox seeded by its key's hash,
// scaled like a trained network (N(0, 1/fan_in) for matrices) so activations
// stay in range and timings are not taken on degenerate data.
#pragma once

#include "core/nn/module.h"

namespace dc::bench {

Status load_random_weights(nn::Module& root, const nn::LoadOptions& options, uint64_t seed);

}  // namespace dc::bench
