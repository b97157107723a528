#include "core/ops/gemm.h"

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/op_util.h"

namespace dc::ops {

Tensor matmul(const Tensor& a, const Tensor& b) {
  DC_OP_SCOPE("matmul");
  detail::check_activation_dtype(a, "matmul");
  DC_CHECK(a.dim() >= 2 && b.dim() >= 2, "matmul: needs 2+ dims, got " << a.describe() << " and " << b.describe());
  const int64_t m = a.size(-2), k = a.size(-1), n = b.size(-1);
  DC_CHECK(b.size(-2) == k, "matmul: inner dims differ: " << a.describe() << " x " << b.describe());
  const int64_t batch = a.numel() / (m * k);
  const int64_t b_batch = b.numel() / (k * n);
  DC_CHECK(b_batch == 1 || b_batch == batch, "matmul: batch dims differ: " << a.describe() << " x " << b.describe());
  Tensor a3 = reshape(a, {batch, m, k});
  Tensor b3 = reshape(detail::prepare(b, a), {b_batch, k, n});
  Shape out_shape = a.shape();
  out_shape.back() = n;
  Tensor out = Tensor::empty({batch, m, n}, a.dtype(), a.device());
  DC_OPS_DISPATCH(a.device(), matmul, out, contiguous(a3), b3);
  return out.view(out_shape);
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
  DC_OP_SCOPE("linear");
  detail::check_activation_dtype(x, "linear");
  DC_CHECK(weight.dim() == 2 && x.size(-1) == weight.size(1),
           "linear: input " << x.describe() << " does not match weight " << weight.describe());
  DC_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == weight.size(0)),
           "linear: bias " << bias.describe() << " does not match weight " << weight.describe());
  const int64_t k = x.size(-1), n = weight.size(0), m = x.numel() / std::max<int64_t>(k, 1);
  Tensor x2 = reshape(x, {m, k});
  Shape out_shape = x.shape();
  out_shape.back() = n;
  Tensor out = Tensor::empty({m, n}, x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), linear, out, x2, detail::prepare(weight, x), detail::prepare(bias, x));
  return out.view(out_shape);
}

}  // namespace dc::ops
