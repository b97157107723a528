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

Tensor pixel_shuffle(const Tensor& x, int r) { return pixel_shuffle(x, r, Tensor()); }

Tensor pixel_shuffle(const Tensor& x, int r, const Tensor& shortcut) {
  DC_OP_SCOPE("pixel_shuffle");
  check_nchw(x, "pixel_shuffle");
  DC_CHECK(r >= 1 && x.size(1) % (r * r) == 0, "pixel_shuffle: channels of " << x.describe() << " not divisible by "
                                                                              << r * r);
  if (shortcut.defined()) {
    detail::check_same_device(shortcut, x, "pixel_shuffle");
    DC_CHECK(shortcut.dim() == 4 && shortcut.size(0) == x.size(0) && shortcut.size(2) == x.size(2) &&
                 shortcut.size(3) == x.size(3) && shortcut.size(1) > 0 && x.size(1) % shortcut.size(1) == 0,
             "pixel_shuffle: shortcut " << shortcut.describe() << " does not repeat into " << x.describe());
  }
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout({x.size(0), x.size(1) / (r * r), x.size(2) * r, x.size(3) * r}, xd, x.dtype());
  DC_OPS_DISPATCH(x.device(), pixel_shuffle, out, xd, r, detail::match_layout(shortcut, xd));
  return out;
}

Tensor add_shuffled_shortcut(const Tensor& h, const Tensor& shortcut, int r) {
  DC_OP_SCOPE("add_shuffled_shortcut");
  check_nchw(h, "add_shuffled_shortcut");
  detail::check_defined(shortcut, "add_shuffled_shortcut", "shortcut");
  detail::check_same_device(shortcut, h, "add_shuffled_shortcut");
  DC_CHECK(r >= 1 && shortcut.dim() == 4 && shortcut.size(0) == h.size(0) && shortcut.size(2) * r == h.size(2) &&
               shortcut.size(3) * r == h.size(3) && shortcut.size(1) > 0 && (h.size(1) * r * r) % shortcut.size(1) == 0,
           "add_shuffled_shortcut: shortcut " << shortcut.describe() << " does not shuffle onto " << h.describe()
                                              << " with factor " << r);
  const Tensor hd = detail::dense(h);
  Tensor out = empty_like_layout(h.shape(), hd, h.dtype());
  DC_OPS_DISPATCH(h.device(), add_shuffled_shortcut, out, hd, detail::match_layout(shortcut, hd), r);
  return out;
}

Tensor pixel_unshuffle(const Tensor& x, int r) {
  DC_OP_SCOPE("pixel_unshuffle");
  check_nchw(x, "pixel_unshuffle");
  DC_CHECK(r >= 1 && x.size(2) % r == 0 && x.size(3) % r == 0,
           "pixel_unshuffle: size of " << x.describe() << " not divisible by " << r);
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout({x.size(0), x.size(1) * r * r, x.size(2) / r, x.size(3) / r}, xd, x.dtype());
  DC_OPS_DISPATCH(x.device(), pixel_unshuffle, out, xd, r);
  return out;
}

Tensor upsample_nearest2d(const Tensor& x, int factor) {
  DC_OP_SCOPE("upsample_nearest2d");
  check_nchw(x, "upsample_nearest2d");
  DC_CHECK(factor >= 1, "upsample_nearest2d: factor must be positive");
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout({x.size(0), x.size(1), x.size(2) * factor, x.size(3) * factor}, xd, x.dtype());
  DC_OPS_DISPATCH(x.device(), upsample_nearest2d, out, xd, factor);
  return out;
}

Tensor channel_group_mean(const Tensor& x, int64_t group) {
  DC_OP_SCOPE("channel_group_mean");
  check_nchw(x, "channel_group_mean");
  DC_CHECK(group >= 1 && x.size(1) % group == 0, "channel_group_mean: " << x.size(1) << " channels not divisible by "
                                                                        << group);
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout({x.size(0), x.size(1) / group, x.size(2), x.size(3)}, xd, x.dtype());
  DC_OPS_DISPATCH(x.device(), channel_group_mean, out, xd, group);
  return out;
}

Tensor repeat_interleave_channels(const Tensor& x, int64_t repeats) {
  DC_OP_SCOPE("repeat_interleave_channels");
  check_nchw(x, "repeat_interleave_channels");
  DC_CHECK(repeats >= 1, "repeat_interleave_channels: repeats must be positive");
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout({x.size(0), x.size(1) * repeats, x.size(2), x.size(3)}, xd, x.dtype());
  DC_OPS_DISPATCH(x.device(), repeat_interleave_channels, out, xd, repeats);
  return out;
}

}  // namespace dc::ops
