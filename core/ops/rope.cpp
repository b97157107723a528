#include "core/ops/rope.h"

#include "core/ops/backend.h"
#include "core/ops/op_util.h"
#include "core/ops/profile.h"

namespace dc::ops {
namespace {

// x [B, L, H, D] with unit stride along D (as backends read it).
Tensor head_major_input(const Tensor& x, const char* op) {
  detail::check_defined(x, op, "x");
  detail::check_activation_dtype(x, op);
  DC_CHECK(x.dim() == 4, op << ": x must be [B, L, H, D], got " << x.describe());
  bool ok = x.stride(3) == 1 || x.size(3) == 1;
  for (int64_t d = 0; d < 3; ++d) ok = ok && x.stride(d) >= 0;
  return ok ? x : contiguous(x);
}

// cos/sin as f32 [L, D] contiguous on x's device.
Tensor rope_table(const Tensor& t, const Tensor& x, const char* op, const char* what) {
  detail::check_same_device(t, x, op);
  DC_CHECK(t.dim() == 2 && t.size(0) == x.size(1) && t.size(1) == x.size(3),
           op << ": " << what << " " << t.describe() << " is not [L, D] = [" << x.size(1) << ", " << x.size(3)
              << "] for x " << x.describe());
  DC_CHECK(dtype_is_float(t.dtype()), op << ": " << what << " must be a float tensor, got " << t.describe());
  return contiguous(cast(t, DType::kF32));
}

Tensor norm_rope(const Tensor& x_in, const Tensor& weight, float eps, const Tensor& cos, const Tensor& sin,
                 const char* op) {
  const Tensor x = head_major_input(x_in, op);
  DC_CHECK(cos.defined() == sin.defined(), op << ": cos and sin must both be given or both be undefined");
  if (cos.defined())
    DC_CHECK(x.size(3) % 2 == 0, op << ": RoPE rotates pairs, head dim " << x.size(3) << " is odd");
  DC_CHECK(!weight.defined() || (weight.dim() == 1 && weight.size(0) == x.size(3)),
           op << ": weight " << weight.describe() << " is not [D] = [" << x.size(3) << "]");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (out.numel() == 0) return out;
  const Tensor c = cos.defined() ? rope_table(cos, x, op, "cos") : Tensor();
  const Tensor s = sin.defined() ? rope_table(sin, x, op, "sin") : Tensor();
  DC_OPS_DISPATCH(x.device(), rms_norm_rope, out, x, detail::prepare(weight, x), eps, c, s);
  return out;
}

}  // namespace

Tensor rope(const Tensor& x, const Tensor& cos, const Tensor& sin) {
  DC_OP_SCOPE("rope");
  detail::check_defined(cos, "rope", "cos");
  detail::check_defined(sin, "rope", "sin");
  return norm_rope(x, Tensor(), 0.0f, cos, sin, "rope");
}

Tensor rms_norm_rope(const Tensor& x, const Tensor& weight, float eps, const Tensor& cos, const Tensor& sin) {
  DC_OP_SCOPE("rms_norm_rope");
  detail::check_defined(weight, "rms_norm_rope", "weight");
  return norm_rope(x, weight, eps, cos, sin, "rms_norm_rope");
}

}  // namespace dc::ops
