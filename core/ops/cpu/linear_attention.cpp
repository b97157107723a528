// CPU reference: ReLU linear attention over q, k, v [B, H, d, N] (any strides:
// gathered into channel-major copies first; out is written through its strides).
#include <vector>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {

namespace {

Tensor channel_major(const Tensor& t) {
  if (t.is_contiguous()) return t;
  Tensor c = Tensor::empty(t.shape(), t.dtype());
  copy_strided(c, t);
  return c;
}

}  // namespace

void relu_linear_attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v, float eps) {
  if (!out.is_contiguous()) {
    Tensor o = Tensor::empty(out.shape(), out.dtype());
    relu_linear_attention(o, q, k, v, eps);
    copy_strided(out, o);
    return;
  }
  const int64_t bh = q.size(0) * q.size(1), d = q.size(2), n = q.size(3);
  const Tensor qc = channel_major(q), kc = channel_major(k), vc = channel_major(v);  // F32View borrows f32 data
  F32View qv(qc), kv(kc), vv(vc);
  F32Out o(out);
  parallel_for(0, bh, [&](int64_t p0, int64_t p1) {
    std::vector<double> vk(static_cast<size_t>(d * d)), ksum(static_cast<size_t>(d));
    for (int64_t p = p0; p < p1; ++p) {
      const float* qp = qv.data() + p * d * n;
      const float* kp = kv.data() + p * d * n;
      const float* vp = vv.data() + p * d * n;
      std::fill(vk.begin(), vk.end(), 0.0);
      std::fill(ksum.begin(), ksum.end(), 0.0);
      // vk[i][j] = Σ_m v[i][m] relu(k[j][m]);  ksum[j] = Σ_m relu(k[j][m])
      for (int64_t j = 0; j < d; ++j) {
        for (int64_t m = 0; m < n; ++m) {
          const float kr = kp[j * n + m] > 0 ? kp[j * n + m] : 0.0f;
          if (kr == 0.0f) continue;
          ksum[j] += kr;
          for (int64_t i = 0; i < d; ++i) vk[i * d + j] += static_cast<double>(vp[i * n + m]) * kr;
        }
      }
      for (int64_t m = 0; m < n; ++m) {
        double den = 0;
        for (int64_t j = 0; j < d; ++j) {
          const float qr = qp[j * n + m] > 0 ? qp[j * n + m] : 0.0f;
          den += ksum[j] * qr;
        }
        for (int64_t i = 0; i < d; ++i) {
          double num = 0;
          for (int64_t j = 0; j < d; ++j) {
            const float qr = qp[j * n + m] > 0 ? qp[j * n + m] : 0.0f;
            num += vk[i * d + j] * qr;
          }
          o[(p * d + i) * n + m] = static_cast<float>(num / (den + eps));
        }
      }
    }
  });
  o.commit();
}

}  // namespace dc::ops::cpu
