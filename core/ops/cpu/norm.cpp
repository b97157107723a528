// CPU reference: normalizations with f64 statistics.
#include <cmath>
#include <memory>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/ops/op_util.h"

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

namespace {

// A dense [N, C, ...] tensor: element (b, c, pixel) at b·C·P + c·channel_stride + pixel·pixel_stride.
struct ChannelGeometry {
  int64_t n, c, pixels, channel_stride, pixel_stride;
};

ChannelGeometry channel_geometry(const Tensor& x) {
  ChannelGeometry g{x.size(0), x.size(1), 0, 0, 0};
  g.pixels = g.n * g.c == 0 ? 0 : x.numel() / (g.n * g.c);
  const bool nhwc = detail::is_nhwc(x);
  g.channel_stride = nhwc ? 1 : g.pixels;
  g.pixel_stride = nhwc ? g.c : 1;
  return g;
}

}  // namespace

void rms_norm_channels(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& residual,
                       float eps, Activation act) {
  const ChannelGeometry g = channel_geometry(x);
  F32View xv(detail::memory_order(x));
  auto wv = optional_view(w), bv = optional_view(b), rv = optional_view(detail::memory_order(residual));
  F32Out o(detail::memory_order(out));
  parallel_for(0, g.n * g.pixels, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t base = (p / g.pixels) * g.c * g.pixels + (p % g.pixels) * g.pixel_stride;
      double ss = 0;
      for (int64_t i = 0; i < g.c; ++i) {
        const double v = xv[base + i * g.channel_stride];
        ss += v * v;
      }
      const float inv = static_cast<float>(1.0 / std::sqrt(ss / g.c + eps));
      for (int64_t i = 0; i < g.c; ++i) {
        const int64_t at = base + i * g.channel_stride;
        float y = xv[at] * inv;
        if (wv) y *= (*wv)[i];
        if (bv) y += (*bv)[i];
        y = apply_activation(act, y);
        if (rv) y += (*rv)[at];
        o[at] = y;
      }
    }
  }, 256);
  o.commit();
}

void channel_affine(const Tensor& out, const Tensor& x, const Tensor& scale, const Tensor& shift,
                    const Tensor& residual) {
  const ChannelGeometry g = channel_geometry(x);
  F32View xv(detail::memory_order(x)), sv(scale), tv(shift);
  auto rv = optional_view(detail::memory_order(residual));
  F32Out o(detail::memory_order(out));
  parallel_for(0, x.numel(), [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const int64_t ch = (i / g.channel_stride) % g.c;
      float y = xv[i] * sv[ch] + tv[ch];
      if (rv) y += (*rv)[i];
      o[i] = y;
    }
  }, 1 << 14);
  o.commit();
}

}  // namespace dc::ops::cpu
