// CPU reference: per-head RMSNorm (optional) then interleaved-pair RoPE
// (optional) over x [B, L, H, D], reproducing diffusers' bf16 roundings:
// the normalized value and the weighted value are each stored in x's dtype
// (RMSNorm's `.to(weight.dtype)` and its output), RoPE runs in f32 on the
// result and is rounded once.
#include <cmath>
#include <memory>
#include <vector>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/ops/cpu/dtype_round.h"

namespace dc::ops::cpu {

void rms_norm_rope(const Tensor& out, const Tensor& x, const Tensor& weight, float eps, const Tensor& cos,
                   const Tensor& sin) {
  const int64_t batch = x.size(0), tokens = x.size(1), heads = x.size(2), dim = x.size(3);
  const DType dtype = x.dtype();
  Tensor xc = x;
  if (!x.is_contiguous()) {
    xc = Tensor::empty(x.shape(), dtype);
    copy_strided(xc, x);
  }
  F32View xv(xc);
  std::unique_ptr<F32View> wv = weight.defined() ? std::make_unique<F32View>(weight) : nullptr;
  const float* cp = cos.defined() ? cos.data<float>() : nullptr;
  const float* sp = sin.defined() ? sin.data<float>() : nullptr;
  F32Out o(out);
  parallel_for(0, batch * tokens * heads, [&](int64_t r0, int64_t r1) {
    std::vector<float> y(static_cast<size_t>(dim));
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t l = (r / heads) % tokens;
      const float* xr = xv.data() + r * dim;
      if (wv) {
        double ss = 0;
        for (int64_t d = 0; d < dim; ++d) ss += static_cast<double>(xr[d]) * xr[d];
        const float inv = static_cast<float>(1.0 / std::sqrt(ss / dim + eps));
        for (int64_t d = 0; d < dim; ++d) y[d] = round_to(dtype, round_to(dtype, xr[d] * inv) * (*wv)[d]);
      } else {
        for (int64_t d = 0; d < dim; ++d) y[d] = xr[d];
      }
      float* orow = o.data() + r * dim;
      if (!cp) {
        for (int64_t d = 0; d < dim; ++d) orow[d] = y[d];
        continue;
      }
      const float* c = cp + l * dim;
      const float* s = sp + l * dim;
      for (int64_t d = 0; d < dim; d += 2) {
        orow[d] = y[d] * c[d] - y[d + 1] * s[d];
        orow[d + 1] = y[d + 1] * c[d + 1] + y[d] * s[d + 1];
      }
    }
  }, 64);
  o.commit();
}

}  // namespace dc::ops::cpu
