// Launchers of the resample family.
#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/resample/resample.h"
#include "gpu/cuda/resample/resample_kernel.cuh"

namespace dc::gpu {
namespace {

constexpr int kBlock = 256;
namespace rk = resample_kernel;

template <class U>
std::string launch_gather(const ResampleParams& p, int64_t total, const rk::Dims& d) {
  rk::gather_kernel<U><<<grid_for(total, kBlock), kBlock, 0, p.stream>>>(static_cast<U*>(p.out),
                                                                         static_cast<const U*>(p.x), total, p.kind, d);
  return launch_status("resample gather_kernel");
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
  const rk::Dims d{p.n, p.c, p.h, p.w, f};
  if (p.kind == ResampleKind::kChannelGroupMean) {
    return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
      using T = decltype(tag);
      rk::channel_group_mean_kernel<T><<<grid_for(total, kBlock), kBlock, 0, p.stream>>>(
          static_cast<T*>(p.out), static_cast<const T*>(p.x), total, d);
      return launch_status("channel_group_mean_kernel");
    });
  }
  switch (data_type_bytes(p.dtype)) {
    case 1: return launch_gather<uint8_t>(p, total, d);
    case 2: return launch_gather<uint16_t>(p, total, d);
    case 4: return launch_gather<uint32_t>(p, total, d);
    case 8: return launch_gather<uint64_t>(p, total, d);
    default: break;
  }
  return "resample: unsupported element size";
}

}  // namespace dc::gpu
