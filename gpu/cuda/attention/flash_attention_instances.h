// The tensor-core attention kernel's head-dim buckets, one function per bucket
// (each defined in its own flash_attention_hdim*.cu). p.head_dim ≤ the bucket,
// a multiple of 8; p.dtype bf16 or f16; operands 16-byte aligned (checked by
// flash_attention()).
#pragma once

#include <string>

#include "gpu/cuda/attention/flash_attention.h"

namespace dc::gpu::flash_instances {

std::string hdim32(const AttentionParams& p);
std::string hdim64(const AttentionParams& p);
std::string hdim96(const AttentionParams& p);
std::string hdim128(const AttentionParams& p);
std::string hdim192(const AttentionParams& p);
std::string hdim256(const AttentionParams& p);

}  // namespace dc::gpu::flash_instances
