// Spatial and channel rearrangements of [N, C, H, W] tensors (torch semantics).
// Inputs may be contiguous or channels-last; the output has the input's layout.
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

Tensor pixel_shuffle(const Tensor& x, int factor);    // [N, C*r², H, W] -> [N, C, H*r, W*r]
// pixel_shuffle(x + repeat_interleave_channels(shortcut, C·r² / Cs), factor) in
// one pass (DC-AE's up block with its channel-repeat shortcut): shortcut is
// [N, Cs, H, W] with Cs dividing C·r²; the sum rounds once, as the unfused ops do
// (shuffle and repeat move values exactly).
Tensor pixel_shuffle(const Tensor& x, int factor, const Tensor& shortcut);
// h + pixel_shuffle(repeat_interleave_channels(shortcut, C·r² / Cs), factor) in one
// pass (DC-AE's interpolating up block and its channel-repeat shortcut): h is
// [N, C, H·r, W·r], shortcut [N, Cs, H, W] with Cs dividing C·r²; one rounding.
Tensor add_shuffled_shortcut(const Tensor& h, const Tensor& shortcut, int factor);
Tensor pixel_unshuffle(const Tensor& x, int factor);  // [N, C, H*r, W*r] -> [N, C*r², H, W]
Tensor upsample_nearest2d(const Tensor& x, int factor);
// Mean over consecutive channel groups: [N, C, H, W] -> [N, C/group, H, W]
// (x.unflatten(1, (-1, group)).mean(2)).
Tensor channel_group_mean(const Tensor& x, int64_t group);
// Each channel repeated `repeats` times in place: x.repeat_interleave(repeats, dim=1).
Tensor repeat_interleave_channels(const Tensor& x, int64_t repeats);

}  // namespace dc::ops
