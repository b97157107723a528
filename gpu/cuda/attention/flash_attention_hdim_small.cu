// Tensor-core attention, generic buckets: head dims 8..32 run in the 32 bucket,
// 72..96 in the 96 bucket (40..56 use the 64 one); columns past the real head
// dim are zero-filled.
#include "gpu/cuda/attention/flash_attention_instances.h"
#include "gpu/cuda/attention/flash_attention_launch.cuh"

namespace dc::gpu::flash_instances {

std::string hdim32(const AttentionParams& p) { return flash_kernel::launch<32>(p); }
std::string hdim96(const AttentionParams& p) { return flash_kernel::launch<96>(p); }

}  // namespace dc::gpu::flash_instances
