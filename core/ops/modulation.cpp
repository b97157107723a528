#include "core/ops/modulation.h"

#include "core/ops/backend.h"
#include "core/ops/op_util.h"
#include "core/ops/profile.h"

namespace dc::ops {
namespace {

void check_tokens(const Tensor& x, const char* op, const char* what) {
  detail::check_defined(x, op, what);
  DC_CHECK(x.dim() == 3, op << ": " << what << " must be [B, L, C], got " << x.describe());
}

// A per-sample vector [B, C] (or [B, 1, C], or [1, C] broadcast over B) as a
// [B, C] view in x's dtype with unit stride along C; rows may be strided
// (chunks of one modulation vector) or broadcast (stride 0).
Tensor per_sample(const Tensor& t, const Tensor& x, const char* op, const char* what) {
  detail::check_defined(t, op, what);
  detail::check_same_device(t, x, op);
  const int64_t b = x.size(0), c = x.size(2);
  Tensor v = t.dim() == 3 && t.size(1) == 1 ? t.squeeze(1) : t;
  DC_CHECK(v.dim() == 2 && (v.size(0) == b || v.size(0) == 1) && v.size(1) == c,
           op << ": " << what << " " << t.describe() << " is not [B, C] = [" << b << ", " << c << "]");
  detail::check_activation_dtype(v, op);
  v = cast(v, x.dtype());
  if ((v.stride(1) != 1 && c > 1) || v.stride(0) < 0) v = contiguous(v);
  return v.expand({b, c});
}

}  // namespace

Tensor layer_norm_modulate(const Tensor& x, const Tensor& scale, const Tensor& shift, float eps) {
  DC_OP_SCOPE("layer_norm_modulate");
  check_tokens(x, "layer_norm_modulate", "x");
  detail::check_activation_dtype(x, "layer_norm_modulate");
  const Tensor sc = per_sample(scale, x, "layer_norm_modulate", "scale");
  const Tensor sh = per_sample(shift, x, "layer_norm_modulate", "shift");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (out.numel() == 0) return out;
  DC_OPS_DISPATCH(x.device(), layer_norm_modulate, out, contiguous(x), sc, sh, eps);
  return out;
}

Tensor gated_residual(const Tensor& x, const Tensor& gate, const Tensor& y) {
  DC_OP_SCOPE("gated_residual");
  check_tokens(x, "gated_residual", "x");
  check_tokens(y, "gated_residual", "y");
  detail::check_activation_dtype(x, "gated_residual");
  detail::check_activation_dtype(y, "gated_residual");
  detail::check_same_device(x, y, "gated_residual");
  DC_CHECK(x.shape() == y.shape(), "gated_residual: y " << y.describe() << " does not match x " << x.describe());
  const Tensor g = per_sample(gate, x, "gated_residual", "gate");
  Tensor yc = cast(y, x.dtype());
  if ((yc.stride(2) != 1 && yc.size(2) > 1) || yc.stride(0) < 0 || yc.stride(1) < 0) yc = contiguous(yc);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (out.numel() == 0) return out;
  DC_OPS_DISPATCH(x.device(), gated_residual, out, contiguous(x), g, yc);
  return out;
}

}  // namespace dc::ops
