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
constexpr int kMaxLaneVectors = 8;  // row_norm_lanes_kernel's K limit: rows up to 256 vectors
constexpr int kLanesBlock = 256;

// Short rows: the smallest K (vectors per lane) and lane group (a power of two)
// that cover the row, so small C packs several rows into one warp.
template <class T, int V>
std::string launch_lanes(const RowNormParams& p, int64_t nvec) {
  int k = 1;
  while (32 * k < nvec) k *= 2;
  int lanes = 1;
  while (lanes * k < nvec) lanes *= 2;
  const int64_t rows_per_block = kLanesBlock / lanes;
  const unsigned grid =
      static_cast<unsigned>(std::min<int64_t>((p.rows + rows_per_block - 1) / rows_per_block, int64_t{1} << 20));
  T* out = static_cast<T*>(p.out);
  const T* x = static_cast<const T*>(p.x);
  const T* w = static_cast<const T*>(p.weight);
  const T* b = static_cast<const T*>(p.bias);
  const T* r = static_cast<const T*>(p.residual);
  auto launch = [&](auto kernel) {
    kernel<<<grid, kLanesBlock, 0, p.stream>>>(out, x, w, b, r, p.rows, p.cols, p.eps, p.kind, p.act, lanes);
    return launch_status("row_norm_lanes_kernel");
  };
  switch (k) {
    case 1: return launch(nk::row_norm_lanes_kernel<T, V, 1>);
    case 2: return launch(nk::row_norm_lanes_kernel<T, V, 2>);
    case 4: return launch(nk::row_norm_lanes_kernel<T, V, 4>);
    default: return launch(nk::row_norm_lanes_kernel<T, V, 8>);
  }
}

}  // namespace

std::string row_norm(const RowNormParams& p) {
  if (p.rows == 0) return {};
  if (p.cols <= 0) return "row_norm: empty rows";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int V16 = kVec16<T>;
    T* out = static_cast<T*>(p.out);
    const T* x = static_cast<const T*>(p.x);
    const T* w = static_cast<const T*>(p.weight);
    const T* b = static_cast<const T*>(p.bias);
    const T* r = static_cast<const T*>(p.residual);
    const bool vec = p.cols % V16 == 0 && aligned16(out) && aligned16(x) && (!w || aligned16(w)) &&
                     (!b || aligned16(b)) && (!r || aligned16(r));
    const int64_t nvec = vec ? p.cols / V16 : p.cols;
    if (nvec <= 32 * kMaxLaneVectors) {
      return vec ? launch_lanes<T, V16>(p, nvec) : launch_lanes<T, 1>(p, nvec);
    }
    const unsigned grid = static_cast<unsigned>(std::min<int64_t>(p.rows, int64_t{1} << 20));
    if (vec) {
      nk::row_norm_kernel<T, V16><<<grid, row_threads(nvec), 0, p.stream>>>(out, x, w, b, r, p.rows, p.cols, p.eps,
                                                                           p.kind, p.act);
    } else {
      nk::row_norm_kernel<T, 1><<<grid, row_threads(nvec), 0, p.stream>>>(out, x, w, b, r, p.rows, p.cols, p.eps,
                                                                         p.kind, p.act);
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
        static_cast<const T*>(p.bias), static_cast<const T*>(p.residual), p.n, p.c, p.hw, p.eps, p.act);
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
        static_cast<T*>(p.out), static_cast<const T*>(p.x), p.scale, p.shift, static_cast<const T*>(p.residual), total,
        p.c, p.channels_last ? 1 : p.hw);
    return launch_status("channel_affine_kernel");
  });
}

}  // namespace dc::gpu
