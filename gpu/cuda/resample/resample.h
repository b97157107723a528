// Spatial and channel rearrangements of NCHW tensors (torch semantics), stored
// NCHW or channels-last (NHWC). The pure data movements copy bits (any
// 1/2/4/8-byte type); channel_group_mean and a pixel shuffle with a shortcut
// compute in f32 (f32, bf16, f16).
//
//   gpu::ResampleParams r;
//   r.kind = gpu::ResampleKind::kPixelShuffle; r.out = y; r.x = x; r.dtype = gpu::DataType::kBF16;
//   r.n = 1; r.c = 128; r.h = 32; r.w = 32; r.factor = 2; r.stream = s;   // x dims
//   std::string e = gpu::resample(r);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

enum class ResampleKind {
  kPixelShuffle,       // [n, c*f², h, w] -> [n, c, h*f, w*f]
  kPixelUnshuffle,     // [n, c, h, w]    -> [n, c*f², h/f, w/f]
  kUpsampleNearest,    // [n, c, h, w]    -> [n, c, h*f, w*f]
  kRepeatInterleave,   // [n, c, h, w]    -> [n, c*f, h, w], channel k -> k / f
  kChannelGroupMean,   // [n, c, h, w]    -> [n, c/f, h, w], mean over f consecutive channels
  // [n, c, h, w] + pixel_shuffle(repeat_interleave(shortcut, c·f²/shortcut_c), f) -> [n, c, h, w]
  // (shortcut [n, shortcut_c, h/f, w/f]; f32 sum, one rounding)
  kAddShuffledShortcut,
};

// n, c, h, w describe the INPUT x; `factor` is f above. Both tensors contiguous
// NCHW, or both NHWC in memory (channels_last; shapes as above either way).
struct ResampleParams {
  ResampleKind kind = ResampleKind::kPixelShuffle;
  void* out = nullptr;
  const void* x = nullptr;
  DataType dtype = DataType::kF32;
  int64_t n = 0, c = 0, h = 0, w = 0;
  int64_t factor = 1;
  bool channels_last = false;
  // kPixelShuffle (optional): [n, shortcut_c, h, w] in x's layout and dtype, its
  // channels repeated c / shortcut_c times each (repeat_interleave) and added to x
  // before the shuffle, in f32 with one rounding (DC-AE's up-block shortcut).
  // kAddShuffledShortcut (required): see the kind.
  const void* shortcut = nullptr;
  int64_t shortcut_c = 0;
  cudaStream_t stream = nullptr;
};
std::string resample(const ResampleParams& p);

}  // namespace dc::gpu
