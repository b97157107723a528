#include "core/ops/fused_linear.h"

#include "core/ops/backend.h"
#include "core/ops/gemm.h"
#include "core/ops/op_util.h"
#include "core/ops/profile.h"
#include "core/ops/strided_rows.h"

namespace dc::ops {
namespace {

void check_linear_into(const Tensor& out, const Tensor& x, const Tensor& weight, const Tensor& bias) {
  detail::check_defined(out, "linear_into", "out");
  detail::check_defined(x, "linear_into", "x");
  detail::check_activation_dtype(x, "linear_into");
  detail::check_same_device(out, x, "linear_into");
  DC_CHECK(out.dtype() == x.dtype(), "linear_into: out " << out.describe() << " and x " << x.describe()
                                                         << " differ in dtype");
  DC_CHECK(weight.dim() == 2 && x.dim() >= 1 && x.size(-1) == weight.size(1),
           "linear_into: input " << x.describe() << " does not match weight " << weight.describe());
  DC_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == weight.size(0)),
           "linear_into: bias " << bias.describe() << " does not match weight " << weight.describe());
  bool same_rows = out.dim() == x.dim() && out.size(-1) == weight.size(0);
  for (int64_t d = 0; same_rows && d + 1 < x.dim(); ++d) same_rows = out.size(d) == x.size(d);
  DC_CHECK(same_rows, "linear_into: out " << out.describe() << " is not x " << x.describe() << " with last dim "
                                          << weight.size(0));
}

void linear_into_checked(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b) {
  const Tensor xs = detail::uniform_rows(x) ? x : contiguous(x);
  if (detail::uniform_rows(out)) {
    DC_OPS_DISPATCH(x.device(), linear_rows, out, xs, w, b);
    return;
  }
  if (out.dim() >= 3) {  // e.g. the text rows of each sample of a joint [B, T + L, C] buffer
    for (int64_t i = 0; i < out.size(0); ++i) linear_into_checked(out.select(0, i), xs.select(0, i), w, b);
    return;
  }
  copy_(out, linear(xs, w, b));
}

}  // namespace

void linear_into(const Tensor& out, const Tensor& x, const Tensor& weight, const Tensor& bias) {
  DC_OP_SCOPE("linear_into");
  check_linear_into(out, x, weight, bias);
  if (out.numel() == 0) return;
  linear_into_checked(out, x, detail::prepare(weight, x), detail::prepare(bias, x));
}

}  // namespace dc::ops
