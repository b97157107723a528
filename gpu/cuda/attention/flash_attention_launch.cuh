// Host-side launch of the tensor-core attention kernel for one head-dim bucket;
// included by the per-bucket instance files (flash_attention_hdim*.cu) so nvcc
// compiles the buckets in parallel.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <string>

#include "gpu/cuda/attention/flash_attention.h"
#include "gpu/cuda/attention/flash_attention_kernel.cuh"
#include "gpu/cuda/common/status.h"

namespace dc::gpu::flash_kernel {

template <class T, int kD, bool kMasked>
std::string launch_typed(const AttentionParams& p) {
  using C = Tile<kD>;
  auto kernel = flash_attention_kernel<T, kD, kMasked>;
  // Opt in to more than 48 KB of dynamic shared memory (per device, so on every launch; ~1 µs).
  const cudaError_t attribute =
      cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, C::kSmemBytes);
  if (attribute != cudaSuccess) return cuda_status(attribute, "flash_attention: shared memory opt-in");
  const int64_t m_blocks = (p.q_len + C::kBlockM - 1) / C::kBlockM;
  // The kernel indexes tokens with int (pointer offsets are 64-bit).
  if (p.q_len > 0x7fffffff - C::kBlockM || p.kv_len > 0x7fffffff - C::kBlockN || p.heads > 65535 ||
      p.batch > 65535) {
    return "flash_attention: grid too large (" + std::to_string(m_blocks) + " query tiles, " +
           std::to_string(p.heads) + " heads, batch " + std::to_string(p.batch) + ")";
  }
  const dim3 grid(static_cast<unsigned>(m_blocks), static_cast<unsigned>(p.heads), static_cast<unsigned>(p.batch));
  kernel<<<grid, C::kThreads, C::kSmemBytes, p.stream>>>(p);
  return launch_status("flash_attention_kernel");
}

// bf16 and f16 (the caller checked the type); the masked variant only when a mask or bias is given.
template <int kD>
std::string launch(const AttentionParams& p) {
  const bool masked = p.causal || p.bias != nullptr || p.key_mask != nullptr;
  if (p.dtype == DataType::kBF16) {
    return masked ? launch_typed<__nv_bfloat16, kD, true>(p) : launch_typed<__nv_bfloat16, kD, false>(p);
  }
  return masked ? launch_typed<__half, kD, true>(p) : launch_typed<__half, kD, false>(p);
}

}  // namespace dc::gpu::flash_kernel
