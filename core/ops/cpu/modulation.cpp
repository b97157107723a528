// CPU reference: adaLN modulation and the gated residual over [B, L, C] tokens.
// Per-sample vectors ([B, C], unit stride along C, row stride given) are read
// through their strides.
#include <cmath>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/ops/cpu/dtype_round.h"

namespace dc::ops::cpu {
namespace {

// Row b of a [B, C] per-sample vector as f32.
struct PerSample {
  const void* base;
  DType dtype;
  int64_t row_stride;
  float at(int64_t b, int64_t c) const { return static_cast<float>(load_element(base, dtype, b * row_stride + c)); }
};

PerSample per_sample(const Tensor& t) { return {t.data_ptr(), t.dtype(), t.stride(0)}; }

}  // namespace

void layer_norm_modulate(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift, float eps) {
  const int64_t tokens = x.size(1), c = x.size(2), rows = x.size(0) * tokens;
  const DType dtype = x.dtype();
  const PerSample sc = per_sample(scale), sh = per_sample(shift);
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t b = r / tokens;
      const float* xr = xv.data() + r * c;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < c; ++i) mean += xr[i];
      mean /= c;
      for (int64_t i = 0; i < c; ++i) var += (xr[i] - mean) * (xr[i] - mean);
      var /= c;
      const double inv = 1.0 / std::sqrt(var + eps);
      for (int64_t i = 0; i < c; ++i) {
        // LayerNorm's output is stored in x's dtype; the modulation is one f32 expression.
        const float n = round_to(dtype, static_cast<float>((xr[i] - mean) * inv));
        o[r * c + i] = n * (1.0f + sc.at(b, i)) + sh.at(b, i);
      }
    }
  }, 16);
  o.commit();
}

void gated_residual(const Tensor& out, const Tensor& x, const Tensor& gate, const Tensor& y) {
  const int64_t tokens = x.size(1), c = x.size(2), rows = x.size(0) * tokens;
  const PerSample g = per_sample(gate);
  const void* yp = y.data_ptr();
  const DType ydt = y.dtype();
  const int64_t ys0 = y.stride(0), ys1 = y.stride(1);
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t b = r / tokens, l = r % tokens;
      for (int64_t i = 0; i < c; ++i) {
        const float yv = static_cast<float>(load_element(yp, ydt, b * ys0 + l * ys1 + i));
        o[r * c + i] = xv[r * c + i] + g.at(b, i) * yv;
      }
    }
  }, 16);
  o.commit();
}

}  // namespace dc::ops::cpu
