// Launchers of the resample family.
#include <algorithm>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/resample/resample.h"
#include "gpu/cuda/resample/resample_kernel.cuh"

namespace dc::gpu {
namespace {

constexpr int kBlock = 256;
namespace rk = resample_kernel;

// 32-bit index arithmetic when every element offset fits, with room for the grid
// stride past the end (these data movements are division-bound otherwise).
constexpr int64_t kNarrowIndex = (int64_t{1} << 32) - (int64_t{1} << 26);

// U: the element type (raw bits for pure movements, the float type with a shortcut).
template <class U, class I, bool kShortcut>
std::string launch_gather(const ResampleParams& p, int64_t total) {
  U* out = static_cast<U*>(p.out);
  const U* x = static_cast<const U*>(p.x);
  const U* s = static_cast<const U*>(p.shortcut);
  const I f = static_cast<I>(p.factor);
  const I rep = kShortcut ? static_cast<I>(p.c / p.shortcut_c) : 1;
  const unsigned blocks = grid_for(total, kBlock);
  if (p.channels_last && (p.kind == ResampleKind::kPixelShuffle || p.kind == ResampleKind::kPixelUnshuffle)) {
    const bool shuffle = p.kind == ResampleKind::kPixelShuffle;
    const I c = static_cast<I>(shuffle ? p.c / (f * f) : p.c);
    const I h = static_cast<I>(shuffle ? p.h : p.h / f), w = static_cast<I>(shuffle ? p.w : p.w / f);
    const I work = static_cast<I>(total / (p.factor * p.factor));
    const unsigned wblocks = grid_for(work, kBlock);
    if (shuffle) {
      rk::pixel_shuffle_nhwc_kernel<U, I, true, kShortcut><<<wblocks, kBlock, 0, p.stream>>>(out, x, s, work, c, h, w,
                                                                                             f, rep);
    } else {
      rk::pixel_shuffle_nhwc_kernel<U, I, false, false><<<wblocks, kBlock, 0, p.stream>>>(out, x, s, work, c, h, w, f,
                                                                                          rep);
    }
    return launch_status("pixel_shuffle_nhwc_kernel");
  }
  const rk::Dims<I> d{static_cast<I>(p.n), static_cast<I>(p.c), static_cast<I>(p.h), static_cast<I>(p.w), f};
  if constexpr (kShortcut) {
    rk::pixel_shuffle_shortcut_kernel<U, I><<<blocks, kBlock, 0, p.stream>>>(out, x, s, static_cast<I>(total), d, rep);
    return launch_status("pixel_shuffle_shortcut_kernel");
  }
  if (p.channels_last) {
    rk::gather_kernel<U, I, true><<<blocks, kBlock, 0, p.stream>>>(out, x, static_cast<I>(total), p.kind, d);
  } else {
    rk::gather_kernel<U, I, false><<<blocks, kBlock, 0, p.stream>>>(out, x, static_cast<I>(total), p.kind, d);
  }
  return launch_status("resample gather_kernel");
}

template <class T, class I>
std::string launch_add_shuffled(const ResampleParams& p, int64_t total) {
  T* out = static_cast<T*>(p.out);
  const T* hi = static_cast<const T*>(p.x);
  const T* s = static_cast<const T*>(p.shortcut);
  const rk::Dims<I> d{static_cast<I>(p.n), static_cast<I>(p.c), static_cast<I>(p.h), static_cast<I>(p.w),
                      static_cast<I>(p.factor)};
  const I rep = static_cast<I>(p.c * p.factor * p.factor / p.shortcut_c);
  constexpr int V = kVec16<T>;
  if (p.channels_last && p.c % V == 0 && aligned16(out) && aligned16(hi)) {
    const I count = static_cast<I>(total / V);
    rk::add_shuffled_shortcut_kernel<T, I, V, true><<<grid_for(count, kBlock), kBlock, 0, p.stream>>>(out, hi, s,
                                                                                                      count, d, rep);
  } else if (p.channels_last) {
    rk::add_shuffled_shortcut_kernel<T, I, 1, true><<<grid_for(total, kBlock), kBlock, 0, p.stream>>>(
        out, hi, s, static_cast<I>(total), d, rep);
  } else {
    rk::add_shuffled_shortcut_kernel<T, I, 1, false><<<grid_for(total, kBlock), kBlock, 0, p.stream>>>(
        out, hi, s, static_cast<I>(total), d, rep);
  }
  return launch_status("add_shuffled_shortcut_kernel");
}

template <class U, bool kShortcut = false>
std::string launch_gather(const ResampleParams& p, int64_t total, int64_t in_total) {
  if (std::max(total, in_total) <= kNarrowIndex) return launch_gather<U, uint32_t, kShortcut>(p, total);
  return launch_gather<U, int64_t, kShortcut>(p, total);
}

}  // namespace

std::string resample(const ResampleParams& p) {
  const int64_t f = p.factor;
  if (f < 1) return "resample: factor must be positive";
  switch (p.kind) {
    case ResampleKind::kPixelShuffle:
      if (p.c % (f * f) != 0) return "pixel_shuffle: channels not divisible by factor²";
      break;
    case ResampleKind::kPixelUnshuffle:
      if (p.h % f != 0 || p.w % f != 0) return "pixel_unshuffle: size not divisible by factor";
      break;
    case ResampleKind::kChannelGroupMean:
      if (p.c % f != 0) return "channel_group_mean: channels not divisible by group";
      break;
    default: break;
  }
  const int64_t in_total = p.n * p.c * p.h * p.w;
  int64_t total = in_total;  // pixel (un)shuffle keep the element count
  if (p.kind == ResampleKind::kUpsampleNearest) total = in_total * f * f;
  if (p.kind == ResampleKind::kRepeatInterleave) total = in_total * f;
  if (p.kind == ResampleKind::kChannelGroupMean) total = in_total / f;
  if (total == 0) return {};
  const rk::Dims<int64_t> d{p.n, p.c, p.h, p.w, f};
  if (p.kind == ResampleKind::kChannelGroupMean) {
    return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
      using T = decltype(tag);
      T* out = static_cast<T*>(p.out);
      const T* x = static_cast<const T*>(p.x);
      if (p.channels_last) {
        rk::channel_group_mean_kernel<T, true><<<grid_for(total, kBlock), kBlock, 0, p.stream>>>(out, x, total, d);
      } else {
        rk::channel_group_mean_kernel<T, false><<<grid_for(total, kBlock), kBlock, 0, p.stream>>>(out, x, total, d);
      }
      return launch_status("channel_group_mean_kernel");
    });
  }
  if (p.kind == ResampleKind::kAddShuffledShortcut) {
    if (p.h % f != 0 || p.w % f != 0) return "add_shuffled_shortcut: size not divisible by factor";
    if (!p.shortcut || p.shortcut_c <= 0 || (p.c * f * f) % p.shortcut_c != 0)
      return "add_shuffled_shortcut: shortcut missing or its channels do not divide c·f²";
    return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
      using T = decltype(tag);
      if (total <= kNarrowIndex) return launch_add_shuffled<T, uint32_t>(p, total);
      return launch_add_shuffled<T, int64_t>(p, total);
    });
  }
  if (p.channels_last && p.kind == ResampleKind::kUpsampleNearest && !p.shortcut) {
    // Whole-pixel copies: each pixel's channels move as 16-byte words when they allow.
    const int bytes = data_type_bytes(p.dtype);
    if ((p.c * bytes) % 16 == 0 && aligned16(p.x) && aligned16(p.out)) {
      ResampleParams q = p;
      q.c = p.c * bytes / 16;
      const int64_t k = 16 / bytes;
      return launch_gather<uint4>(q, total / k, in_total / k);
    }
  }
  if (p.shortcut) {
    if (p.kind != ResampleKind::kPixelShuffle) return "resample: a shortcut is supported by pixel_shuffle only";
    if (p.shortcut_c <= 0 || p.c % p.shortcut_c != 0) return "pixel_shuffle: channels not a multiple of shortcut_c";
    return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
      return launch_gather<decltype(tag), true>(p, total, in_total);
    });
  }
  switch (data_type_bytes(p.dtype)) {
    case 1: return launch_gather<uint8_t>(p, total, in_total);
    case 2: return launch_gather<uint16_t>(p, total, in_total);
    case 4: return launch_gather<uint32_t>(p, total, in_total);
    case 8: return launch_gather<uint64_t>(p, total, in_total);
    default: break;
  }
  return "resample: unsupported element size";
}

}  // namespace dc::gpu
