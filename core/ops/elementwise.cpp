#include "core/ops/elementwise.h"

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/op_util.h"

namespace dc::ops {

Result<Activation> activation_from_name(std::string_view name) {
  if (name.empty() || name == "identity" || name == "null" || name == "none") return Activation::kIdentity;
  if (name == "relu") return Activation::kReLU;
  if (name == "relu6") return Activation::kReLU6;
  if (name == "silu" || name == "swish") return Activation::kSiLU;
  if (name == "gelu") return Activation::kGELU;
  if (name == "gelu_pytorch_tanh" || name == "gelu_new" || name == "gelu-approximate") return Activation::kGELUTanh;
  if (name == "quick_gelu") return Activation::kQuickGELU;
  return Error::not_supported("unknown activation function '" + std::string(name) + "'");
}

namespace {

// Output in a's layout (contiguous or channels-last). Backends see every
// operand in a's memory order, where a and out are contiguous: a b of the same
// layout then takes the flat kernel, any other b the broadcast-strided one.
Tensor binary_op(const Tensor& a, const Tensor& b, BinaryOp op, const char* name) {
  DC_OP_SCOPE(name);
  detail::check_defined(a, name, "a");
  detail::check_defined(b, name, "b");
  detail::check_activation_dtype(a, name);
  detail::check_same_device(a, b, name);
  const Tensor ad = detail::dense(a);
  // b keeps its strides (broadcast views are free); only its dtype is aligned.
  Tensor bb = cast(b, a.dtype());
  Tensor bx = bb.shape() == a.shape() ? bb : bb.expand(a.shape());
  Tensor out = empty_like_layout(a.shape(), ad, a.dtype());
  if (detail::is_nhwc(ad)) bx = bx.permute({0, 2, 3, 1});
  DC_OPS_DISPATCH(a.device(), binary, detail::memory_order(out), detail::memory_order(ad), bx, op);
  return out;
}

// A flat pass over dense memory: out has x's layout.
template <class Fn>
Tensor flat_unary(const Tensor& x, Fn&& fn) {
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout(x.shape(), xd, x.dtype());
  fn(detail::memory_order(out), detail::memory_order(xd));
  return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) { return binary_op(a, b, BinaryOp::kAdd, "add"); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary_op(a, b, BinaryOp::kSub, "sub"); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary_op(a, b, BinaryOp::kMul, "mul"); }

Tensor scale(const Tensor& a, float s) {
  DC_OP_SCOPE("scale");
  detail::check_activation_dtype(a, "scale");
  return flat_unary(a, [&](const Tensor& o, const Tensor& x) { DC_OPS_DISPATCH(a.device(), scale, o, x, s); });
}

Tensor activation(const Tensor& x, Activation act) {
  DC_OP_SCOPE("activation");
  detail::check_activation_dtype(x, "activation");
  if (act == Activation::kIdentity) return x;
  return flat_unary(x, [&](const Tensor& o, const Tensor& xm) { DC_OPS_DISPATCH(x.device(), activation, o, xm, act); });
}

// hidden and gate are usually the two channel halves of one tensor (chunk(2, 1)):
// strided views that the backends read in place as rows (detail::row_view), in
// the NCHW order or, for halves of a channels-last tensor, the NHWC order; the
// output is dense in that layout. Anything else is made dense first.
Tensor gated_activation(const Tensor& hidden, const Tensor& gate, Activation act) {
  DC_OP_SCOPE("gated_activation");
  detail::check_activation_dtype(hidden, "gated_activation");
  DC_CHECK(hidden.shape() == gate.shape(), "gated_activation: " << hidden.describe() << " vs " << gate.describe());
  detail::check_same_device(hidden, gate, "gated_activation");
  Tensor h = hidden, g = cast(gate, hidden.dtype());
  if (h.strides() != g.strides()) {
    h = detail::dense(h);
    g = detail::match_layout(g, h);
  }
  const bool nhwc_order = h.dim() == 4 && !detail::row_view(h) && detail::row_view(h.permute({0, 2, 3, 1}));
  if (!nhwc_order && !detail::row_view(h)) {
    h = detail::dense(h);
    g = detail::match_layout(g, h);
  }
  const bool nhwc = nhwc_order || detail::is_nhwc(h);
  Tensor out = nhwc ? detail::empty_channels_last(hidden.shape(), hidden.dtype(), hidden.device())
                    : Tensor::empty(hidden.shape(), hidden.dtype(), hidden.device());
  auto order = [nhwc](const Tensor& t) { return nhwc ? t.permute({0, 2, 3, 1}) : t; };
  DC_OPS_DISPATCH(hidden.device(), gated_activation, order(out), order(h), order(g), act);
  return out;
}

}  // namespace dc::ops
