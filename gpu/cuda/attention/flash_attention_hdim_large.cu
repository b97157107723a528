// Tensor-core attention, generic buckets past 128: head dims 136..192 and 200..256
// (4 warps, 32-key tiles, Q re-read from shared memory instead of registers).
#include "gpu/cuda/attention/flash_attention_instances.h"
#include "gpu/cuda/attention/flash_attention_launch.cuh"

namespace dc::gpu::flash_instances {

std::string hdim192(const AttentionParams& p) { return flash_kernel::launch<192>(p); }
std::string hdim256(const AttentionParams& p) { return flash_kernel::launch<256>(p); }

}  // namespace dc::gpu::flash_instances
