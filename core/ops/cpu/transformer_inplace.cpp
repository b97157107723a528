// CPU reference: the in-place transformer ops. Rows are read through their
// strides into f32, computed exactly as the out-of-place references do
// (cpu/rope.cpp, cpu/elementwise.cpp) and stored back with one rounding.
#include <cmath>
#include <vector>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/ops/cpu/dtype_round.h"
#include "core/ops/strided_rows.h"

namespace dc::ops::cpu {

void rms_norm_rope_inplace(const Tensor& x, const Tensor& weight, float eps, const Tensor& cos, const Tensor& sin) {
  const int64_t batch = x.size(0), tokens = x.size(1), heads = x.size(2), dim = x.size(3);
  const int64_t heads_per_group = heads / weight.size(0);
  const DType dtype = x.dtype();
  void* base = x.data_ptr();
  F32View wv(weight);
  const float* cp = cos.defined() ? cos.data<float>() : nullptr;
  const float* sp = sin.defined() ? sin.data<float>() : nullptr;
  parallel_for(0, batch * tokens * heads, [&](int64_t r0, int64_t r1) {
    std::vector<float> y(static_cast<size_t>(dim));
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t h = r % heads, l = (r / heads) % tokens, b = r / (heads * tokens);
      const int64_t at = b * x.stride(0) + l * x.stride(1) + h * x.stride(2);
      const float* w = wv.data() + (h / heads_per_group) * dim;
      double ss = 0;
      for (int64_t d = 0; d < dim; ++d) {
        y[d] = static_cast<float>(load_element(base, dtype, at + d));
        ss += static_cast<double>(y[d]) * y[d];
      }
      const float inv = static_cast<float>(1.0 / std::sqrt(ss / dim + eps));
      for (int64_t d = 0; d < dim; ++d) y[d] = round_to(dtype, round_to(dtype, y[d] * inv) * w[d]);
      if (cp) {
        const float* c = cp + l * dim;
        const float* s = sp + l * dim;
        for (int64_t d = 0; d < dim; d += 2) {
          const float x0 = y[d], x1 = y[d + 1];
          y[d] = x0 * c[d] - x1 * s[d];
          y[d + 1] = x1 * c[d + 1] + x0 * s[d + 1];
        }
      }
      for (int64_t d = 0; d < dim; ++d) store_element(base, dtype, at + d, y[d]);
    }
  }, 64);
}

void activation_inplace(const Tensor& x, Activation act) {
  const detail::UniformRows rows = *detail::uniform_rows(x);
  const DType dtype = x.dtype();
  void* base = x.data_ptr();
  parallel_for(0, rows.rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      for (int64_t c = 0; c < rows.cols; ++c) {
        const int64_t at = r * rows.stride + c;
        store_element(base, dtype, at, apply_activation(act, static_cast<float>(load_element(base, dtype, at))));
      }
    }
  }, std::max<int64_t>(1, 16384 / std::max<int64_t>(rows.cols, 1)));
}

}  // namespace dc::ops::cpu
