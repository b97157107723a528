// CPU reference: matrix products through OpenBLAS sgemm (f32 accumulate).
#include <cblas.h>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {

void matmul(const Tensor& out, const Tensor& a, const Tensor& bm) {
  const int64_t batch = a.size(0), m = a.size(1), k = a.size(2), n = bm.size(2);
  const bool shared_b = bm.size(0) == 1;
  F32View av(a), bv(bm);
  F32Out o(out);
  for (int64_t i = 0; i < batch; ++i) {
    const float* ap = av.data() + i * m * k;
    const float* bp = bv.data() + (shared_b ? 0 : i * k * n);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(m), static_cast<int>(n),
                static_cast<int>(k), 1.0f, ap, static_cast<int>(k), bp, static_cast<int>(n), 0.0f,
                o.data() + i * m * n, static_cast<int>(n));
  }
  o.commit();
}

void linear(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias) {
  const int64_t m = x.size(0), k = x.size(1), n = w.size(0);
  F32View xv(x), wv(w);
  F32Out o(out);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
              1.0f, xv.data(), static_cast<int>(k), wv.data(), static_cast<int>(k), 0.0f, o.data(),
              static_cast<int>(n));
  if (bias.defined()) {
    F32View bv(bias);
    parallel_for(0, m, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t j = 0; j < n; ++j) o[r * n + j] += bv[j];
    }, std::max<int64_t>(1, 16384 / std::max<int64_t>(n, 1)));
  }
  o.commit();
}

}  // namespace dc::ops::cpu
