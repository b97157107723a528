// Launchers of dense softmax attention: validation and path selection.
#include <string>

#include "gpu/cuda/attention/attention_rows_kernel.cuh"
#include "gpu/cuda/attention/flash_attention.h"
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
  return launch_rows(p);
}

}  // namespace dc::gpu
