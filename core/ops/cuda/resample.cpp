// CUDA backend: pixel_shuffle, pixel_unshuffle, upsample_nearest2d,
// channel_group_mean, repeat_interleave_channels (gpu/cuda/resample).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "core/ops/op_util.h"
#include "gpu/cuda/resample/resample.h"

namespace dc::ops::cuda {
namespace {

using namespace cuda_detail;

void run(gpu::ResampleKind kind, const Tensor& out, const Tensor& x, int64_t factor, const char* op,
         const Tensor& shortcut = Tensor()) {
  if (out.numel() == 0) return;
  gpu::ResampleParams p;
  p.kind = kind;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.dtype = activation_type(x.dtype(), op);
  p.n = x.size(0), p.c = x.size(1), p.h = x.size(2), p.w = x.size(3);
  p.factor = factor;
  p.channels_last = detail::is_nhwc(x);
  p.shortcut = ptr_or_null(shortcut);
  p.shortcut_c = shortcut.defined() ? shortcut.size(1) : 0;
  p.stream = stream();
  check(gpu::resample(p), op);
}

}  // namespace

void pixel_shuffle(const Tensor& out, const Tensor& x, int factor, const Tensor& shortcut) {
  run(gpu::ResampleKind::kPixelShuffle, out, x, factor, "pixel_shuffle", shortcut);
}
void add_shuffled_shortcut(const Tensor& out, const Tensor& h, const Tensor& shortcut, int factor) {
  run(gpu::ResampleKind::kAddShuffledShortcut, out, h, factor, "add_shuffled_shortcut", shortcut);
}
void pixel_unshuffle(const Tensor& out, const Tensor& x, int factor) {
  run(gpu::ResampleKind::kPixelUnshuffle, out, x, factor, "pixel_unshuffle");
}
void upsample_nearest2d(const Tensor& out, const Tensor& x, int factor) {
  run(gpu::ResampleKind::kUpsampleNearest, out, x, factor, "upsample_nearest2d");
}
void channel_group_mean(const Tensor& out, const Tensor& x, int64_t group) {
  run(gpu::ResampleKind::kChannelGroupMean, out, x, group, "channel_group_mean");
}
void repeat_interleave_channels(const Tensor& out, const Tensor& x, int64_t repeats) {
  run(gpu::ResampleKind::kRepeatInterleave, out, x, repeats, "repeat_interleave_channels");
}

}  // namespace dc::ops::cuda
