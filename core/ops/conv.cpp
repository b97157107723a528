#include "core/ops/conv.h"

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/op_util.h"

namespace dc::ops {

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dOptions& opt,
              const Tensor& residual) {
  DC_OP_SCOPE("conv2d");
  detail::check_activation_dtype(x, "conv2d");
  DC_CHECK(x.dim() == 4 && weight.dim() == 4, "conv2d: expects NCHW input and 4-D weight, got "
                                                  << x.describe() << " and " << weight.describe());
  DC_CHECK(opt.groups >= 1 && opt.stride >= 1 && opt.padding >= 0, "conv2d: invalid options");
  const int64_t cin = x.size(1), cout = weight.size(0);
  DC_CHECK(cin % opt.groups == 0 && cout % opt.groups == 0 && weight.size(1) == cin / opt.groups,
           "conv2d: weight " << weight.describe() << " does not fit input " << x.describe() << " with groups="
                             << opt.groups);
  DC_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == cout),
           "conv2d: bias " << bias.describe() << " does not match " << cout << " output channels");
  const int64_t oh = (x.size(2) + 2 * opt.padding - weight.size(2)) / opt.stride + 1;
  const int64_t ow = (x.size(3) + 2 * opt.padding - weight.size(3)) / opt.stride + 1;
  DC_CHECK(oh > 0 && ow > 0, "conv2d: input " << x.describe() << " is smaller than the kernel");
  const Shape out_shape{x.size(0), cout, oh, ow};
  DC_CHECK(!residual.defined() || residual.shape() == out_shape,
           "conv2d: residual " << residual.describe() << " does not match the output " << shape_to_string(out_shape));
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout(out_shape, xd, x.dtype());
  DC_OPS_DISPATCH(x.device(), conv2d, out, xd, detail::prepare(weight, x), detail::prepare(bias, x),
                  detail::match_layout(residual, out), opt);
  return out;
}

}  // namespace dc::ops
