// CPU reference: linear on row-strided operands, through the contiguous linear()
// reference (gather the rows, multiply, scatter), so it is the same arithmetic.
#include "core/ops/backend.h"
#include "core/ops/strided_rows.h"

namespace dc::ops::cpu {
namespace {

// t itself when contiguous, else a contiguous copy.
Tensor packed(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor c = Tensor::empty(t.shape(), t.dtype());
  copy_strided(c, t);
  return c;
}

}  // namespace

void linear_rows(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias) {
  const int64_t k = x.size(-1), n = w.size(0), m = x.numel() / k;
  const Tensor xc = packed(x);
  const Tensor oc = out.is_contiguous() ? out : Tensor::empty(out.shape(), out.dtype());
  linear(oc.view({m, n}), xc.view({m, k}), w, bias);
  if (!out.is_contiguous()) copy_strided(out, oc);
}

}  // namespace dc::ops::cpu
