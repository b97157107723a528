// Launchers of the norm family.
#include <algorithm>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/norm/norm.h"
#include "gpu/cuda/norm/norm_kernel.cuh"

namespace dc::gpu {
namespace {

namespace nk = norm_kernel;

// Threads per row: one per vector up to 512, a multiple of 32.
int row_threads(int64_t vectors) {
  const int64_t t = std::min<int64_t>(512, std::max<int64_t>(32, (vectors + 31) / 32 * 32));
  return static_cast<int>(t);
}

constexpr int64_t kMaxGridY = 65535;

}  // namespace

std::string row_norm(const RowNormParams& p) {
  if (p.rows == 0) return {};
  if (p.cols <= 0) return "row_norm: empty rows";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int V = kVec16<T>;
    T* out = static_cast<T*>(p.out);
    const T* x = static_cast<const T*>(p.x);
    const T* w = static_cast<const T*>(p.weight);
    const T* b = static_cast<const T*>(p.bias);
    const bool vec = p.cols % V == 0 && aligned16(out) && aligned16(x) && (!w || aligned16(w)) && (!b || aligned16(b));
    const unsigned grid = static_cast<unsigned>(std::min<int64_t>(p.rows, int64_t{1} << 20));
    if (vec) {
      nk::row_norm_kernel<T, V><<<grid, row_threads(p.cols / V), 0, p.stream>>>(out, x, w, b, p.rows, p.cols, p.eps,
                                                                               p.kind);
    } else {
      nk::row_norm_kernel<T, 1><<<grid, row_threads(p.cols), 0, p.stream>>>(out, x, w, b, p.rows, p.cols, p.eps,
                                                                           p.kind);
    }
    return launch_status("row_norm_kernel");
  });
}

std::string channel_rms_norm(const ChannelRmsNormParams& p) {
  if (p.n == 0 || p.hw == 0) return {};
  if (p.c <= 0) return "channel_rms_norm: no channels";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    const int64_t tiles = (p.hw + nk::kPixTile - 1) / nk::kPixTile;
    if (tiles > 0x7fffffff) return std::string("channel_rms_norm: too many pixels");
    const dim3 grid(static_cast<unsigned>(tiles), static_cast<unsigned>(std::min(p.n, kMaxGridY)));
    const dim3 block(nk::kPixTile, nk::kChanSplit);
    nk::channel_rms_norm_kernel<T><<<grid, block, 0, p.stream>>>(
        static_cast<T*>(p.out), static_cast<const T*>(p.x), static_cast<const T*>(p.weight),
        static_cast<const T*>(p.bias), p.n, p.c, p.hw, p.eps);
    return launch_status("channel_rms_norm_kernel");
  });
}

std::string channel_affine(const ChannelAffineParams& p) {
  const int64_t total = p.n * p.c * p.hw;
  if (total == 0) return {};
  if (!p.scale || !p.shift) return "channel_affine: scale and shift are required";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    nk::channel_affine_kernel<T><<<grid_for(total, 256), 256, 0, p.stream>>>(
        static_cast<T*>(p.out), static_cast<const T*>(p.x), p.scale, p.shift, total, p.c, p.hw);
    return launch_status("channel_affine_kernel");
  });
}

}  // namespace dc::gpu
