// CPU reference: ReLU linear attention over channel-major q, k, v [B, H, d, N].
#include <vector>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {

void relu_linear_attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v, float eps) {
  const int64_t bh = q.size(0) * q.size(1), d = q.size(2), n = q.size(3);
  F32View qv(q), kv(k), vv(v);
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
