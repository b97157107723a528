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
  detail::check_same_device(q, k, "relu_linear_attention");
  detail::check_same_device(q, v, "relu_linear_attention");
  for (const Tensor* t : {&q, &k, &v})
    for (int64_t d = 0; d < 4; ++d)
      DC_CHECK(t->stride(d) >= 0, "relu_linear_attention: negative strides in " << t->describe());
  // Views of a channels-last qkv tensor (unit stride along d) give a token-major
  // output, [B, N, H·d] in memory: channels-last [B, H·d, H', W'] once regrouped.
  const int64_t b = q.size(0), h = q.size(1), d = q.size(2), n = q.size(3);
  const bool token_major = q.stride(2) == 1 && d > 1 && n > 1;
  Tensor out = token_major ? Tensor::empty({b, n, h, d}, q.dtype(), q.device()).permute({0, 2, 3, 1})
                           : Tensor::empty(q.shape(), q.dtype(), q.device());
  DC_OPS_DISPATCH(q.device(), relu_linear_attention, out, q, cast(k, q.dtype()), cast(v, q.dtype()), eps);
  return out;
}

}  // namespace dc::ops
