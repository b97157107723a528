// Tensor-core attention, head dim 128 (specialized: no padding columns).
#include "gpu/cuda/attention/flash_attention_instances.h"
#include "gpu/cuda/attention/flash_attention_launch.cuh"

namespace dc::gpu::flash_instances {

std::string hdim128(const AttentionParams& p) { return flash_kernel::launch<128>(p); }

}  // namespace dc::gpu::flash_instances
