// Low-rank weight updates in place: how a LoRA is merged into a loaded model.
//
//   // W[row : row + n] += factor · up · down   (up [n, r], down [r, K], W [N, K])
//   nn::add_low_rank(model, *weight, row, up, down, strength * alpha / rank);
//
// The update is computed in f32 on W's device (ops::matmul, ops::add: the CPU and
// CUDA backends alike) and rounded once into W's dtype, so a bf16 weight gets the
// nearest bf16 of W + ΔW. W is written through Module::writable_parameter, so rows
// of a fused matrix that W views change with it.
#pragma once

#include "core/nn/module.h"

namespace dc::nn {

// Throws (DC_CHECK) on shapes that do not fit: callers validate user files first.
// Rows are updated in blocks so the f32 temporaries stay near 16 MiB each.
void add_low_rank(Module& root, const Parameter& weight, int64_t row, const Tensor& up, const Tensor& down,
                  float factor);

}  // namespace dc::nn
