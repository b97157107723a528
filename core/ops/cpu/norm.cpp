// CPU reference: normalizations with f64 statistics.
#include <cmath>
#include <memory>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {
namespace {

std::unique_ptr<F32View> optional_view(const Tensor& t) {
  return t.defined() ? std::make_unique<F32View>(t) : nullptr;
}

}  // namespace

void rms_norm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps) {
  const int64_t c = x.size(-1), rows = x.numel() / c;
  F32View xv(x);
  auto wv = optional_view(w), bv = optional_view(b);
  F32Out o(out);
  parallel_for(0, rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = xv.data() + r * c;
      double ss = 0;
      for (int64_t i = 0; i < c; ++i) ss += static_cast<double>(xr[i]) * xr[i];
      const float inv = static_cast<float>(1.0 / std::sqrt(ss / c + eps));
      for (int64_t i = 0; i < c; ++i) {
        float y = xr[i] * inv;
        if (wv) y *= (*wv)[i];
        if (bv) y += (*bv)[i];
        o[r * c + i] = y;
      }
    }
  });
  o.commit();
}

void layer_norm(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps) {
  const int64_t c = x.size(-1), rows = x.numel() / c;
  F32View xv(x);
  auto wv = optional_view(w), bv = optional_view(b);
  F32Out o(out);
  parallel_for(0, rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const float* xr = xv.data() + r * c;
      double mean = 0, var = 0;
      for (int64_t i = 0; i < c; ++i) mean += xr[i];
      mean /= c;
      for (int64_t i = 0; i < c; ++i) var += (xr[i] - mean) * (xr[i] - mean);
      var /= c;
      const double inv = 1.0 / std::sqrt(var + eps);
      for (int64_t i = 0; i < c; ++i) {
        float y = static_cast<float>((xr[i] - mean) * inv);
        if (wv) y *= (*wv)[i];
        if (bv) y += (*bv)[i];
        o[r * c + i] = y;
      }
    }
  });
  o.commit();
}

void rms_norm_channels(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, float eps) {
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2);
  F32View xv(x);
  auto wv = optional_view(w), bv = optional_view(b);
  F32Out o(out);
  parallel_for(0, n * hw, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t bi = p / hw, pix = p % hw;
      const float* xp = xv.data() + bi * c * hw + pix;
      double ss = 0;
      for (int64_t i = 0; i < c; ++i) ss += static_cast<double>(xp[i * hw]) * xp[i * hw];
      const float inv = static_cast<float>(1.0 / std::sqrt(ss / c + eps));
      float* op = o.data() + bi * c * hw + pix;
      for (int64_t i = 0; i < c; ++i) {
        float y = xp[i * hw] * inv;
        if (wv) y *= (*wv)[i];
        if (bv) y += (*bv)[i];
        op[i * hw] = y;
      }
    }
  }, 256);
  o.commit();
}

void channel_affine(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift) {
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2);
  F32View xv(x), sv(scale), tv(shift);
  F32Out o(out);
  parallel_for(0, n * c, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t ch = p % c;
      for (int64_t i = 0; i < hw; ++i) o[p * hw + i] = xv[p * hw + i] * sv[ch] + tv[ch];
    }
  });
  o.commit();
}

}  // namespace dc::ops::cpu
