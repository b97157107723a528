// Launcher of the Philox fill.
#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/random/random.h"
#include "gpu/cuda/random/random_kernel.cuh"

namespace dc::gpu {

std::string random_fill(const RandomParams& p) {
  if (p.count == 0) return {};
  if (!p.out) return "random_fill: null output";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int kBlock = 256;
    random_kernel::philox_fill_kernel<T><<<grid_for((p.count + 3) / 4, kBlock), kBlock, 0, p.stream>>>(
        static_cast<T*>(p.out), p.count, p.seed, p.normal);
    return launch_status("philox_fill_kernel");
  });
}

}  // namespace dc::gpu
