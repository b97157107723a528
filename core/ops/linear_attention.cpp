#include "core/ops/linear_attention.h"

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/op_util.h"

namespace dc::ops {

Tensor relu_linear_attention(const Tensor& q, const Tensor& k, const Tensor& v, float eps) {
  DC_OP_SCOPE("relu_linear_attention");
  detail::check_activation_dtype(q, "relu_linear_attention");
  DC_CHECK(q.dim() == 4 && q.shape() == k.shape() && q.shape() == v.shape(),
           "relu_linear_attention: q, k, v must share a [B, H, d, N] shape, got " << q.describe() << ", "
                                                                                  << k.describe() << ", "
                                                                                  << v.describe());
  Tensor out = Tensor::empty(q.shape(), q.dtype(), q.device());
  DC_OPS_DISPATCH(q.device(), relu_linear_attention, out, contiguous(q), detail::prepare(k, q), detail::prepare(v, q),
                  eps);
  return out;
}

}  // namespace dc::ops
