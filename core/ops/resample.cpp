#include "core/ops/resample.h"

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/op_util.h"

namespace dc::ops {
namespace {

void check_nchw(const Tensor& x, const char* op) {
  detail::check_activation_dtype(x, op);
  DC_CHECK(x.dim() == 4, op << ": expects NCHW, got " << x.describe());
}

}  // namespace

Tensor pixel_shuffle(const Tensor& x, int r) {
  DC_OP_SCOPE("pixel_shuffle");
  check_nchw(x, "pixel_shuffle");
  DC_CHECK(r >= 1 && x.size(1) % (r * r) == 0, "pixel_shuffle: channels of " << x.describe() << " not divisible by "
                                                                              << r * r);
  Tensor out = Tensor::empty({x.size(0), x.size(1) / (r * r), x.size(2) * r, x.size(3) * r}, x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), pixel_shuffle, out, contiguous(x), r);
  return out;
}

Tensor pixel_unshuffle(const Tensor& x, int r) {
  DC_OP_SCOPE("pixel_unshuffle");
  check_nchw(x, "pixel_unshuffle");
  DC_CHECK(r >= 1 && x.size(2) % r == 0 && x.size(3) % r == 0,
           "pixel_unshuffle: size of " << x.describe() << " not divisible by " << r);
  Tensor out = Tensor::empty({x.size(0), x.size(1) * r * r, x.size(2) / r, x.size(3) / r}, x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), pixel_unshuffle, out, contiguous(x), r);
  return out;
}

Tensor upsample_nearest2d(const Tensor& x, int factor) {
  DC_OP_SCOPE("upsample_nearest2d");
  check_nchw(x, "upsample_nearest2d");
  DC_CHECK(factor >= 1, "upsample_nearest2d: factor must be positive");
  Tensor out = Tensor::empty({x.size(0), x.size(1), x.size(2) * factor, x.size(3) * factor}, x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), upsample_nearest2d, out, contiguous(x), factor);
  return out;
}

Tensor channel_group_mean(const Tensor& x, int64_t group) {
  DC_OP_SCOPE("channel_group_mean");
  check_nchw(x, "channel_group_mean");
  DC_CHECK(group >= 1 && x.size(1) % group == 0, "channel_group_mean: " << x.size(1) << " channels not divisible by "
                                                                        << group);
  Tensor out = Tensor::empty({x.size(0), x.size(1) / group, x.size(2), x.size(3)}, x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), channel_group_mean, out, contiguous(x), group);
  return out;
}

Tensor repeat_interleave_channels(const Tensor& x, int64_t repeats) {
  DC_OP_SCOPE("repeat_interleave_channels");
  check_nchw(x, "repeat_interleave_channels");
  DC_CHECK(repeats >= 1, "repeat_interleave_channels: repeats must be positive");
  Tensor out = Tensor::empty({x.size(0), x.size(1) * repeats, x.size(2), x.size(3)}, x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), repeat_interleave_channels, out, contiguous(x), repeats);
  return out;
}

}  // namespace dc::ops
