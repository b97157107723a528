#include "core/ops/transformer_inplace.h"

#include "core/ops/backend.h"
#include "core/ops/op_util.h"
#include "core/ops/profile.h"
#include "core/ops/strided_rows.h"

namespace dc::ops {
namespace {

// cos/sin as f32 [L, D] contiguous on x's device.
Tensor rope_table(const Tensor& t, const Tensor& x, const char* what) {
  detail::check_same_device(t, x, "rms_norm_rope_");
  DC_CHECK(t.dim() == 2 && t.size(0) == x.size(1) && t.size(1) == x.size(3),
           "rms_norm_rope_: " << what << " " << t.describe() << " is not [L, D] = [" << x.size(1) << ", "
                              << x.size(3) << "] for x " << x.describe());
  DC_CHECK(dtype_is_float(t.dtype()), "rms_norm_rope_: " << what << " must be a float tensor, got " << t.describe());
  return contiguous(cast(t, DType::kF32));
}

// A per-sample vector [B, C] (or [1, C], [B, 1, C]) as a [B, C] view in x's dtype,
// unit stride along C (rows may be strided chunks of one modulation vector).
Tensor per_sample_gate(const Tensor& t, const Tensor& x) {
  detail::check_defined(t, "gated_residual_", "gate");
  detail::check_same_device(t, x, "gated_residual_");
  detail::check_activation_dtype(t, "gated_residual_");
  const int64_t b = x.size(0), c = x.size(2);
  Tensor v = t.dim() == 3 && t.size(1) == 1 ? t.squeeze(1) : t;
  DC_CHECK(v.dim() == 2 && (v.size(0) == b || v.size(0) == 1) && v.size(1) == c,
           "gated_residual_: gate " << t.describe() << " is not [B, C] = [" << b << ", " << c << "]");
  v = cast(v, x.dtype());
  if ((v.stride(1) != 1 && c > 1) || v.stride(0) < 0) v = contiguous(v);
  return v.expand({b, c});
}

}  // namespace

void rms_norm_rope_(const Tensor& x, const Tensor& weight, float eps, const Tensor& cos, const Tensor& sin) {
  DC_OP_SCOPE("rms_norm_rope_");
  detail::check_defined(x, "rms_norm_rope_", "x");
  detail::check_defined(weight, "rms_norm_rope_", "weight");
  detail::check_activation_dtype(x, "rms_norm_rope_");
  DC_CHECK(x.dim() == 4, "rms_norm_rope_: x must be [B, L, H, D], got " << x.describe());
  bool strided_ok = x.stride(3) == 1 || x.size(3) == 1;
  for (int64_t d = 0; d < 3; ++d) strided_ok = strided_ok && x.stride(d) >= 0;
  DC_CHECK(strided_ok, "rms_norm_rope_: x " << x.describe() << " needs unit stride along D (it is written in place)");
  const Tensor w2 = weight.dim() == 1 ? weight.unsqueeze(0) : weight;
  DC_CHECK(w2.dim() == 2 && w2.size(1) == x.size(3) && w2.size(0) >= 1 && x.size(2) % w2.size(0) == 0,
           "rms_norm_rope_: weight " << weight.describe() << " is not [G, D] with D = " << x.size(3)
                                     << " and G dividing the " << x.size(2) << " heads");
  DC_CHECK(cos.defined() == sin.defined(), "rms_norm_rope_: cos and sin must both be given or both be undefined");
  if (cos.defined())
    DC_CHECK(x.size(3) % 2 == 0, "rms_norm_rope_: RoPE rotates pairs, head dim " << x.size(3) << " is odd");
  if (x.numel() == 0) return;
  const Tensor c = cos.defined() ? rope_table(cos, x, "cos") : Tensor();
  const Tensor s = sin.defined() ? rope_table(sin, x, "sin") : Tensor();
  DC_OPS_DISPATCH(x.device(), rms_norm_rope_inplace, x, detail::prepare(w2, x), eps, c, s);
}

void activation_(const Tensor& x, Activation act) {
  DC_OP_SCOPE("activation_");
  detail::check_defined(x, "activation_", "x");
  detail::check_activation_dtype(x, "activation_");
  if (x.numel() == 0) return;
  if (detail::uniform_rows(x)) {
    DC_OPS_DISPATCH(x.device(), activation_inplace, x, act);
    return;
  }
  DC_CHECK(x.dim() >= 2 && (x.stride(-1) == 1 || x.size(-1) == 1),
           "activation_: x " << x.describe() << " needs unit stride along its last dim (it is written in place)");
  for (int64_t i = 0; i < x.size(0); ++i) activation_(x.select(0, i), act);
}

void gated_residual_(const Tensor& x, const Tensor& gate, const Tensor& y) {
  DC_OP_SCOPE("gated_residual_");
  detail::check_defined(x, "gated_residual_", "x");
  detail::check_defined(y, "gated_residual_", "y");
  DC_CHECK(x.dim() == 3, "gated_residual_: x must be [B, L, C], got " << x.describe());
  detail::check_activation_dtype(x, "gated_residual_");
  detail::check_activation_dtype(y, "gated_residual_");
  detail::check_same_device(x, y, "gated_residual_");
  DC_CHECK(x.shape() == y.shape(), "gated_residual_: y " << y.describe() << " does not match x " << x.describe());
  const Tensor g = per_sample_gate(gate, x);
  Tensor yc = cast(y, x.dtype());
  if ((yc.stride(2) != 1 && yc.size(2) > 1) || yc.stride(0) < 0 || yc.stride(1) < 0) yc = contiguous(yc);
  if (x.numel() == 0) return;
  // The backends read each element of x before writing the same element, so out may be x.
  if (x.is_contiguous()) {
    DC_OPS_DISPATCH(x.device(), gated_residual, x, x, g, yc);
    return;
  }
  for (int64_t b = 0; b < x.size(0); ++b) {
    const Tensor xb = x.slice(0, b, b + 1);
    DC_CHECK(xb.is_contiguous(), "gated_residual_: sample " << b << " of x " << x.describe()
                                                            << " is not contiguous (it is written in place)");
    DC_OPS_DISPATCH(x.device(), gated_residual, xb, xb, g.slice(0, b, b + 1), yc.slice(0, b, b + 1));
  }
}

}  // namespace dc::ops
