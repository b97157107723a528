// Tensor-core attention, head dim 64 (specialized: no padding columns).
#include "gpu/cuda/attention/flash_attention_instances.h"
#include "gpu/cuda/attention/flash_attention_launch.cuh"

namespace dc::gpu::flash_instances {

std::string hdim64(const AttentionParams& p) { return flash_kernel::launch<64>(p); }

}  // namespace dc::gpu::flash_instances
