// Sinusoidal timestep features computed on the tensor's device, so a denoising
// step never copies its timestep to the host (no sync; CUDA-graph capturable).
//
//   Tensor proj = ops::timestep_embedding(sigma /* [B] or [1], on the GPU */, B, 256, 1000.0f, DType::kBF16);
#pragma once

#include <cstdint>

#include "core/tensor/tensor.h"

namespace dc::ops {

// diffusers get_timestep_embedding(t, channels, flip_sin_to_cos=True,
// downscale_freq_shift=0) with t = round(round(v) · scale), each rounding to
// `dtype` (FluxTransformer2DModel's `timestep.to(dtype) * 1000`; no rounding in
// f32). With half = channels / 2 and freq_i = exp(-ln(10000) · i / half) in f32:
//   out[b] = [cos(t_b · freq), sin(t_b · freq)] (+ a zero column when channels is odd),
// computed in f32 and rounded once to `dtype` (diffusers casts the features to the
// model dtype). values: [batch] or [1] (broadcast), float or integer, any device;
// out [batch, channels] on values' device.
Tensor timestep_embedding(const Tensor& values, int64_t batch, int64_t channels, float scale, DType dtype);

}  // namespace dc::ops
