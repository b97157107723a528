// CPU reference: pixel (un)shuffle, nearest upsampling, channel group mean and
// repeat-interleave, with torch's channel orderings.
#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {

void pixel_shuffle(const Tensor& out, const Tensor& x, int r) {
  // out[n, c, h*r+i, w*r+j] = x[n, c*r*r + i*r + j, h, w]
  const int64_t n = out.size(0), c = out.size(1), oh = out.size(2), ow = out.size(3);
  const int64_t h = x.size(2), w = x.size(3);
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, n * c * oh, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t y = p % oh, nc = p / oh;
      const int64_t i = y % r, hy = y / r;
      for (int64_t xo = 0; xo < ow; ++xo) {
        const int64_t j = xo % r, wx = xo / r;
        o[p * ow + xo] = xv[((nc * r * r + i * r + j) * h + hy) * w + wx];
      }
    }
  });
  o.commit();
}

void pixel_unshuffle(const Tensor& out, const Tensor& x, int r) {
  // out[n, c*r*r + i*r + j, h, w] = x[n, c, h*r+i, w*r+j]
  const int64_t oc = out.size(1), oh = out.size(2), ow = out.size(3);
  const int64_t n = out.size(0), h = x.size(2), w = x.size(3);
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, n * oc, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t b = p / oc, ch = p % oc;
      const int64_t c = ch / (r * r), i = (ch / r) % r, j = ch % r;
      const int64_t cin = x.size(1);
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo)
          o[(p * oh + y) * ow + xo] = xv[((b * cin + c) * h + y * r + i) * w + xo * r + j];
    }
  });
  o.commit();
}

void upsample_nearest2d(const Tensor& out, const Tensor& x, int f) {
  const int64_t nc = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
  const int64_t oh = h * f, ow = w * f;
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, nc * oh, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t plane = p / oh, y = p % oh;
      const float* row = xv.data() + (plane * h + y / f) * w;
      for (int64_t xo = 0; xo < ow; ++xo) o[p * ow + xo] = row[xo / f];
    }
  });
  o.commit();
}

void channel_group_mean(const Tensor& out, const Tensor& x, int64_t group) {
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3), oc = c / group;
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, n * oc, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t b = p / oc, g = p % oc;
      for (int64_t i = 0; i < hw; ++i) {
        float acc = 0;  // torch sums in f32 for f32 input
        for (int64_t k = 0; k < group; ++k) acc += xv[(b * c + g * group + k) * hw + i];
        o[p * hw + i] = acc / static_cast<float>(group);
      }
    }
  });
  o.commit();
}

void repeat_interleave_channels(const Tensor& out, const Tensor& x, int64_t repeats) {
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3), oc = c * repeats;
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, n * oc, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t b = p / oc, ch = (p % oc) / repeats;
      const float* src = xv.data() + (b * c + ch) * hw;
      for (int64_t i = 0; i < hw; ++i) o[p * hw + i] = src[i];
    }
  });
  o.commit();
}

}  // namespace dc::ops::cpu
