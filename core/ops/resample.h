// Spatial and channel rearrangements on NCHW tensors (torch semantics).
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

Tensor pixel_shuffle(const Tensor& x, int factor);    // [N, C*r², H, W] -> [N, C, H*r, W*r]
Tensor pixel_unshuffle(const Tensor& x, int factor);  // [N, C, H*r, W*r] -> [N, C*r², H, W]
Tensor upsample_nearest2d(const Tensor& x, int factor);
// Mean over consecutive channel groups: [N, C, H, W] -> [N, C/group, H, W]
// (x.unflatten(1, (-1, group)).mean(2)).
Tensor channel_group_mean(const Tensor& x, int64_t group);
// Each channel repeated `repeats` times in place: x.repeat_interleave(repeats, dim=1).
Tensor repeat_interleave_channels(const Tensor& x, int64_t repeats);

}  // namespace dc::ops
