// Launchers of dense softmax attention: validation and path selection.
#include <cstdint>
#include <string>

#include "gpu/cuda/attention/attention_rows_kernel.cuh"
#include "gpu/cuda/attention/flash_attention.h"
#include "gpu/cuda/attention/flash_attention_instances.h"
#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"

namespace dc::gpu {
namespace {

constexpr int64_t kMaxHeadDim = 256;

std::string launch_rows(const AttentionParams& p) {
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    namespace rk = attention_rows_kernel;
    const int64_t rows = p.batch * p.heads * p.q_len;
    const int64_t blocks = (rows + rk::kWarps - 1) / rk::kWarps;
    if (blocks > 0x7fffffff) return std::string("attention: too many query rows");
    const dim3 grid(static_cast<unsigned>(blocks)), block(rk::kWarps * 32);
    auto launch = [&](auto kernel) {
      kernel<<<grid, block, 0, p.stream>>>(p);
      return launch_status("attention_rows_kernel");
    };
    if (p.head_dim <= 32) return launch(rk::attention_rows_kernel<T, 1>);
    if (p.head_dim <= 64) return launch(rk::attention_rows_kernel<T, 2>);
    if (p.head_dim <= 128) return launch(rk::attention_rows_kernel<T, 4>);
    return launch(rk::attention_rows_kernel<T, 8>);
  });
}

bool aligned_operand(const void* ptr, const TokenMajorStrides& s) {
  return reinterpret_cast<uintptr_t>(ptr) % 16 == 0 && s.batch % 8 == 0 && s.token % 8 == 0 && s.head % 8 == 0;
}

// The tensor-core kernel: 16-bit types, head dim a multiple of 8, every row 16-byte aligned (cp.async).
bool tensor_core_path(const AttentionParams& p) {
  return (p.dtype == DataType::kBF16 || p.dtype == DataType::kF16) && p.head_dim % 8 == 0 &&
         aligned_operand(p.q, p.q_strides) && aligned_operand(p.k, p.k_strides) && aligned_operand(p.v, p.v_strides);
}

std::string launch_tensor_core(const AttentionParams& p) {
  namespace fi = flash_instances;
  if (p.head_dim <= 32) return fi::hdim32(p);
  if (p.head_dim <= 64) return fi::hdim64(p);
  if (p.head_dim <= 96) return fi::hdim96(p);
  if (p.head_dim <= 128) return fi::hdim128(p);
  if (p.head_dim <= 192) return fi::hdim192(p);
  return fi::hdim256(p);
}

}  // namespace

bool flash_attention_can_run(const AttentionParams& p, std::string* why) {
  if (!is_activation_type(p.dtype)) {
    if (why) *why = std::string("attention: dtype ") + data_type_name(p.dtype) + " (f32, bf16, f16 are supported)";
    return false;
  }
  if (p.head_dim < 1 || p.head_dim > kMaxHeadDim) {
    if (why) *why = "attention: head dim " + std::to_string(p.head_dim) + " (1 to 256 are supported)";
    return false;
  }
  return true;
}

std::string flash_attention(const AttentionParams& p) {
  std::string why;
  if (!flash_attention_can_run(p, &why)) return why;
  if (p.causal && p.q_len != p.kv_len) return "attention: causal masking needs q_len == kv_len";
  if (p.batch * p.heads * p.q_len == 0) return {};
  return tensor_core_path(p) ? launch_tensor_core(p) : launch_rows(p);
}

}  // namespace dc::gpu
