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

Tensor binary_op(const Tensor& a, const Tensor& b, BinaryOp op, const char* name) {
  DC_OP_SCOPE(name);
  detail::check_defined(a, name, "a");
  detail::check_defined(b, name, "b");
  detail::check_activation_dtype(a, name);
  detail::check_same_device(a, b, name);
  Tensor ac = contiguous(a);
  // b keeps its strides (broadcast views are free); only its dtype is aligned.
  Tensor bb = cast(b, a.dtype());
  Tensor bx = bb.shape() == a.shape() ? bb : bb.expand(a.shape());
  Tensor out = Tensor::empty(a.shape(), a.dtype(), a.device());
  DC_OPS_DISPATCH(a.device(), binary, out, ac, bx, op);
  return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) { return binary_op(a, b, BinaryOp::kAdd, "add"); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary_op(a, b, BinaryOp::kSub, "sub"); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary_op(a, b, BinaryOp::kMul, "mul"); }

Tensor scale(const Tensor& a, float s) {
  DC_OP_SCOPE("scale");
  detail::check_activation_dtype(a, "scale");
  Tensor ac = contiguous(a);
  Tensor out = Tensor::empty(a.shape(), a.dtype(), a.device());
  DC_OPS_DISPATCH(a.device(), scale, out, ac, s);
  return out;
}

Tensor activation(const Tensor& x, Activation act) {
  DC_OP_SCOPE("activation");
  detail::check_activation_dtype(x, "activation");
  if (act == Activation::kIdentity) return x;
  Tensor xc = contiguous(x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), activation, out, xc, act);
  return out;
}

Tensor gated_activation(const Tensor& hidden, const Tensor& gate, Activation act) {
  DC_OP_SCOPE("gated_activation");
  detail::check_activation_dtype(hidden, "gated_activation");
  DC_CHECK(hidden.shape() == gate.shape(), "gated_activation: " << hidden.describe() << " vs " << gate.describe());
  Tensor h = contiguous(hidden), g = detail::prepare(gate, hidden);
  Tensor out = Tensor::empty(hidden.shape(), hidden.dtype(), hidden.device());
  DC_OPS_DISPATCH(hidden.device(), gated_activation, out, h, g, act);
  return out;
}

}  // namespace dc::ops
