// A cheap RGB look at a latent while sampling runs (no VAE decode): the latent
// channels split into three groups whose means become R, G, B, each stretched
// to [-1, 1] per image. It shows composition and progress, not final colours.
#pragma once

#include "core/tensor/tensor.h"

namespace dc::pipeline {

// latent [B, C, h, w] (any float dtype, CPU) -> [B, 3, h, w] f32 in [-1, 1].
Tensor latent_preview(const Tensor& latent);

}  // namespace dc::pipeline
