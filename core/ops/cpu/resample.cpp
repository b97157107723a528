// CPU reference: pixel (un)shuffle, nearest upsampling, channel group mean and
// repeat-interleave, with torch's channel orderings. x and out are dense in one
// layout (contiguous or channels-last); elements are addressed through each
// tensor's own strides, so the loops are the same for both.
#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/ops/op_util.h"

namespace dc::ops::cpu {
namespace {

// Offset of element (b, c, y, x) of a dense 4-D tensor within its memory-order buffer.
struct Index4 {
  explicit Index4(const Tensor& t) : sn(t.stride(0)), sc(t.stride(1)), sh(t.stride(2)), sw(t.stride(3)) {}
  int64_t operator()(int64_t b, int64_t c, int64_t y, int64_t x) const { return b * sn + c * sc + y * sh + x * sw; }
  int64_t sn, sc, sh, sw;
};

struct At {
  int64_t b, c, y, x;
};

// Calls fn(b, c, y, x) for every element of out's shape, rows of W in parallel.
template <class Fn>
void for_each_output(const Tensor& out, Fn&& fn) {
  const int64_t c = out.size(1), h = out.size(2), w = out.size(3);
  parallel_for(0, out.size(0) * c * h, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) {
      const int64_t y = p % h, ch = (p / h) % c, b = p / (h * c);
      for (int64_t x = 0; x < w; ++x) fn(b, ch, y, x);
    }
  });
}

// out[b, c, y, x] = x[source(b, c, y, x)] for a pure data movement.
template <class Source>
void gather(const Tensor& out, const Tensor& x, Source&& source) {
  F32View xv(detail::memory_order(x));
  F32Out o(detail::memory_order(out));
  const Index4 xi(x), oi(out);
  for_each_output(out, [&](int64_t b, int64_t c, int64_t y, int64_t xo) {
    const auto [sb, sc, sy, sx] = source(b, c, y, xo);
    o[oi(b, c, y, xo)] = xv[xi(sb, sc, sy, sx)];
  });
  o.commit();
}

}  // namespace

void pixel_shuffle(const Tensor& out, const Tensor& x, int r, const Tensor& shortcut) {
  // out[n, c, h*r+i, w*r+j] = x[n, c*r*r + i*r + j, h, w] (+ shortcut[n, (c*r*r + i*r + j) / rep, h, w])
  auto source = [r](int64_t b, int64_t c, int64_t y, int64_t xo) {
    return At{b, c * r * r + (y % r) * r + xo % r, y / r, xo / r};
  };
  if (!shortcut.defined()) return gather(out, x, source);
  const int64_t rep = x.size(1) / shortcut.size(1);
  F32View xv(detail::memory_order(x)), sv(detail::memory_order(shortcut));
  F32Out o(detail::memory_order(out));
  const Index4 xi(x), si(shortcut), oi(out);
  for_each_output(out, [&](int64_t b, int64_t c, int64_t y, int64_t xo) {
    const At a = source(b, c, y, xo);
    o[oi(b, c, y, xo)] = xv[xi(a.b, a.c, a.y, a.x)] + sv[si(a.b, a.c / rep, a.y, a.x)];
  });
  o.commit();
}

void add_shuffled_shortcut(const Tensor& out, const Tensor& h, const Tensor& shortcut, int r) {
  // out[n, c, Y, X] = h[n, c, Y, X] + shortcut[n, (c*r*r + (Y%r)*r + X%r) / rep, Y/r, X/r]
  const int64_t rep = h.size(1) * r * r / shortcut.size(1);
  F32View hv(detail::memory_order(h)), sv(detail::memory_order(shortcut));
  F32Out o(detail::memory_order(out));
  const Index4 hi(h), si(shortcut), oi(out);
  for_each_output(out, [&](int64_t b, int64_t c, int64_t y, int64_t x) {
    const int64_t sc = (c * r * r + (y % r) * r + x % r) / rep;
    o[oi(b, c, y, x)] = hv[hi(b, c, y, x)] + sv[si(b, sc, y / r, x / r)];
  });
  o.commit();
}

void pixel_unshuffle(const Tensor& out, const Tensor& x, int r) {
  // out[n, c*r*r + i*r + j, h, w] = x[n, c, h*r+i, w*r+j]
  gather(out, x, [r](int64_t b, int64_t ch, int64_t y, int64_t xo) {
    const int64_t c = ch / (r * r), i = (ch / r) % r, j = ch % r;
    return At{b, c, y * r + i, xo * r + j};
  });
}

void upsample_nearest2d(const Tensor& out, const Tensor& x, int f) {
  gather(out, x, [f](int64_t b, int64_t c, int64_t y, int64_t xo) { return At{b, c, y / f, xo / f}; });
}

void repeat_interleave_channels(const Tensor& out, const Tensor& x, int64_t repeats) {
  gather(out, x, [repeats](int64_t b, int64_t c, int64_t y, int64_t xo) { return At{b, c / repeats, y, xo}; });
}

void channel_group_mean(const Tensor& out, const Tensor& x, int64_t group) {
  F32View xv(detail::memory_order(x));
  F32Out o(detail::memory_order(out));
  const Index4 xi(x), oi(out);
  for_each_output(out, [&](int64_t b, int64_t g, int64_t y, int64_t xo) {
    float acc = 0;  // torch sums in f32 for f32 input
    for (int64_t k = 0; k < group; ++k) acc += xv[xi(b, g * group + k, y, xo)];
    o[oi(b, g, y, xo)] = acc / static_cast<float>(group);
  });
  o.commit();
}

}  // namespace dc::ops::cpu
