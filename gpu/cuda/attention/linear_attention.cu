// Launchers of ReLU linear attention: split choice, workspace layout, shared
// memory opt-in.
#include <algorithm>

#include "gpu/cuda/attention/linear_attention.h"
#include "gpu/cuda/attention/linear_attention_kernel.cuh"
#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"

namespace dc::gpu {
namespace {

namespace lk = linear_attention_kernel;

constexpr int64_t kTokensPerSplit = 1024;
constexpr int64_t kMaxSplits = 32;
constexpr int64_t kMaxGridYZ = 65535;

struct Plan {
  int64_t splits = 1;
  int64_t chunk = 0;  // tokens per split, a multiple of kTile
};

// Depends on the shape only, so results do not depend on the device model.
Plan plan_for(const ReluLinearAttentionParams& p) {
  Plan plan;
  int64_t splits = std::clamp<int64_t>(p.tokens / kTokensPerSplit, 1, kMaxSplits);
  while (splits > 1 && p.batch * p.heads * splits > kMaxGridYZ) --splits;
  plan.chunk = (p.tokens + splits - 1) / splits;
  plan.chunk = (plan.chunk + lk::kTile - 1) / lk::kTile * lk::kTile;
  plan.splits = std::max<int64_t>(1, (p.tokens + plan.chunk - 1) / std::max<int64_t>(plan.chunk, 1));
  return plan;
}

size_t apply_smem_bytes(int64_t d) {
  return static_cast<size_t>((d + 1) * d + 2 * d * lk::kApplyStride) * sizeof(float);
}

bool strides_valid(const AttentionStrides& s) { return s.batch >= 0 && s.head >= 0 && s.dim >= 0 && s.token >= 0; }

}  // namespace

size_t relu_linear_attention_workspace_bytes(const ReluLinearAttentionParams& p) {
  const Plan plan = plan_for(p);
  const int64_t per_matrix = (p.head_dim + 1) * p.head_dim;
  const int64_t matrices = p.batch * p.heads * (plan.splits + (plan.splits > 1 ? 1 : 0));
  return static_cast<size_t>(matrices * per_matrix) * sizeof(float);
}

bool relu_linear_attention_can_run(const ReluLinearAttentionParams& p, std::string* why) {
  auto fail = [why](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  if (!is_activation_type(p.dtype)) return fail(std::string("dtype ") + data_type_name(p.dtype) + " not supported");
  if (p.batch * p.heads > kMaxGridYZ) return fail("more than 65535 batch*heads");
  if (!strides_valid(p.q_strides) || !strides_valid(p.k_strides) || !strides_valid(p.v_strides) ||
      !strides_valid(p.out_strides))
    return fail("negative strides");
  int device = 0, limit = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device) != cudaSuccess) {
    cudaGetLastError();
    return fail("cannot query the device's shared memory limit");
  }
  if (apply_smem_bytes(p.head_dim) > static_cast<size_t>(limit))
    return fail("head_dim " + std::to_string(p.head_dim) + " needs " + std::to_string(apply_smem_bytes(p.head_dim)) +
                " bytes of shared memory, the device allows " + std::to_string(limit));
  return true;
}

std::string relu_linear_attention(const ReluLinearAttentionParams& p) {
  const int64_t batch_heads = p.batch * p.heads;
  if (batch_heads == 0 || p.head_dim == 0 || p.tokens == 0) return {};
  std::string why;
  if (!relu_linear_attention_can_run(p, &why)) return "relu_linear_attention: " + why;
  if (!p.workspace || p.workspace_bytes < relu_linear_attention_workspace_bytes(p))
    return "relu_linear_attention: workspace missing or smaller than relu_linear_attention_workspace_bytes()";
  const Plan plan = plan_for(p);
  const int64_t d = p.head_dim, per_matrix = (d + 1) * d;
  float* partial = p.workspace;
  float* reduced = plan.splits > 1 ? p.workspace + batch_heads * plan.splits * per_matrix : p.workspace;
  const size_t smem = apply_smem_bytes(d);
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    const unsigned tiles = static_cast<unsigned>((d + lk::kTile - 1) / lk::kTile);
    const dim3 block(lk::kTile, lk::kRowsPerPass);
    lk::kv_partial_kernel<T><<<dim3(tiles, tiles, static_cast<unsigned>(batch_heads * plan.splits)), block, 0,
                               p.stream>>>(partial, static_cast<const T*>(p.k), static_cast<const T*>(p.v),
                                           p.k_strides, p.v_strides, p.heads, d, p.tokens, plan.splits, plan.chunk);
    DC_GPU_TRY(launch_status("kv_partial_kernel"));
    if (plan.splits > 1) {
      lk::split_sum_kernel<<<grid_for(batch_heads * per_matrix, 256), 256, 0, p.stream>>>(
          reduced, partial, batch_heads, plan.splits, per_matrix);
      DC_GPU_TRY(launch_status("split_sum_kernel"));
    }
    if (smem > 48 * 1024) {
      DC_GPU_TRY(cuda_status(cudaFuncSetAttribute(lk::apply_kernel<T>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                                  static_cast<int>(smem)),
                             "relu_linear_attention: cudaFuncSetAttribute"));
    }
    const unsigned col_tiles = static_cast<unsigned>((p.tokens + lk::kApplyCols - 1) / lk::kApplyCols);
    lk::apply_kernel<T><<<dim3(col_tiles, static_cast<unsigned>(batch_heads)), block, smem, p.stream>>>(
        static_cast<T*>(p.out), static_cast<const T*>(p.q), reduced, p.q_strides, p.out_strides, p.heads, d, p.tokens,
        p.eps);
    return launch_status("apply_kernel");
  });
}

}  // namespace dc::gpu
