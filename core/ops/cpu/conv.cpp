// CPU reference: NCHW conv2d. Depthwise-style groups (≤ 4 input channels per
// group) run as direct loops; everything else as im2col + sgemm per group.
#include <cblas.h>

#include <memory>
#include <vector>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {
namespace {

struct ConvGeometry {
  int64_t n, cin, h, w, cout, kh, kw, oh, ow, cin_g, cout_g;
  int stride, pad, groups;
};

void conv_direct(const ConvGeometry& g, const float* x, const float* wt, const float* bias, float* y) {
  parallel_for(0, g.n * g.cout, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t b = p / g.cout, co = p % g.cout, grp = co / g.cout_g;
      float* yo = y + p * g.oh * g.ow;
      for (int64_t oy = 0; oy < g.oh; ++oy) {
        for (int64_t ox = 0; ox < g.ow; ++ox) {
          float acc = bias ? bias[co] : 0.0f;
          for (int64_t ci = 0; ci < g.cin_g; ++ci) {
            const float* xc = x + (b * g.cin + grp * g.cin_g + ci) * g.h * g.w;
            const float* wc = wt + (co * g.cin_g + ci) * g.kh * g.kw;
            for (int64_t ky = 0; ky < g.kh; ++ky) {
              const int64_t iy = oy * g.stride - g.pad + ky;
              if (iy < 0 || iy >= g.h) continue;
              for (int64_t kx = 0; kx < g.kw; ++kx) {
                const int64_t ix = ox * g.stride - g.pad + kx;
                if (ix < 0 || ix >= g.w) continue;
                acc += xc[iy * g.w + ix] * wc[ky * g.kw + kx];
              }
            }
          }
          yo[oy * g.ow + ox] = acc;
        }
      }
    }
  });
}

void conv_im2col(const ConvGeometry& g, const float* x, const float* wt, const float* bias, float* y) {
  const int64_t cols = g.oh * g.ow, krows = g.cin_g * g.kh * g.kw;
  const bool pointwise = g.kh == 1 && g.kw == 1 && g.stride == 1 && g.pad == 0;
  std::vector<float> col(pointwise ? 0 : static_cast<size_t>(krows * cols));
  for (int64_t b = 0; b < g.n; ++b) {
    for (int grp = 0; grp < g.groups; ++grp) {
      const float* xg = x + (b * g.cin + grp * g.cin_g) * g.h * g.w;
      const float* src = xg;
      if (!pointwise) {
        parallel_for(0, krows, [&](int64_t r0, int64_t r1) {
          for (int64_t r = r0; r < r1; ++r) {
            const int64_t ci = r / (g.kh * g.kw), ky = (r / g.kw) % g.kh, kx = r % g.kw;
            float* dst = col.data() + r * cols;
            for (int64_t oy = 0; oy < g.oh; ++oy) {
              const int64_t iy = oy * g.stride - g.pad + ky;
              for (int64_t ox = 0; ox < g.ow; ++ox) {
                const int64_t ix = ox * g.stride - g.pad + kx;
                dst[oy * g.ow + ox] =
                    (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) ? 0.0f : xg[(ci * g.h + iy) * g.w + ix];
              }
            }
          }
        });
        src = col.data();
      }
      float* yg = y + (b * g.cout + grp * g.cout_g) * cols;
      const float* wg = wt + grp * g.cout_g * krows;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(g.cout_g), static_cast<int>(cols),
                  static_cast<int>(krows), 1.0f, wg, static_cast<int>(krows), src, static_cast<int>(cols), 0.0f, yg,
                  static_cast<int>(cols));
      if (bias) {
        for (int64_t co = 0; co < g.cout_g; ++co) {
          const float bv = bias[grp * g.cout_g + co];
          float* row = yg + co * cols;
          for (int64_t i = 0; i < cols; ++i) row[i] += bv;
        }
      }
    }
  }
}

}  // namespace

void conv2d(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias, const Tensor& residual,
            const Conv2dOptions& opt) {
  if (!out.is_contiguous()) {  // channels-last: the reference computes in NCHW and stores back
    Tensor xn = Tensor::empty(x.shape(), x.dtype());
    copy_strided(xn, x);
    Tensor on = Tensor::empty(out.shape(), out.dtype());
    Tensor rn;
    if (residual.defined()) {
      rn = Tensor::empty(residual.shape(), residual.dtype());
      copy_strided(rn, residual);
    }
    conv2d(on, xn, w, bias, rn, opt);
    copy_strided(out, on);
    return;
  }
  ConvGeometry g{};
  g.n = x.size(0), g.cin = x.size(1), g.h = x.size(2), g.w = x.size(3);
  g.cout = w.size(0), g.kh = w.size(2), g.kw = w.size(3);
  g.oh = out.size(2), g.ow = out.size(3);
  g.groups = opt.groups, g.stride = opt.stride, g.pad = opt.padding;
  g.cin_g = g.cin / g.groups, g.cout_g = g.cout / g.groups;
  F32View xv(x), wv(w);
  std::unique_ptr<F32View> bv = bias.defined() ? std::make_unique<F32View>(bias) : nullptr;
  F32Out o(out);
  if (g.cin_g <= 4 && g.groups > 1) {
    conv_direct(g, xv.data(), wv.data(), bv ? bv->data() : nullptr, o.data());
  } else {
    conv_im2col(g, xv.data(), wv.data(), bv ? bv->data() : nullptr, o.data());
  }
  if (residual.defined()) {
    F32View rv(residual);
    parallel_for(0, out.numel(), [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) o[i] += rv[i];
    }, 1 << 14);
  }
  o.commit();
  if (opt.activation != Activation::kIdentity) activation(out, out, opt.activation);
}

}  // namespace dc::ops::cpu
