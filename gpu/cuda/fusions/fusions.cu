// Launchers of the fusions family: lane width and vector access choice.
#include <algorithm>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/fusions/fusions.h"
#include "gpu/cuda/fusions/fusions_kernel.cuh"

namespace dc::gpu {
namespace {

namespace fk = fusions_kernel;

constexpr int64_t kMaxHeadDim = 512;  // 16 elements per lane
constexpr int kBlock = 256;

bool fail(std::string* why, std::string text) {
  if (why) *why = std::move(text);
  return false;
}

bool aligned_to(const void* ptr, size_t bytes) { return reinterpret_cast<uintptr_t>(ptr) % bytes == 0; }

template <class T, int E>
std::string launch_norm_rope(const RmsNormRopeInplaceParams& p) {
  const int64_t rows = p.batch * p.tokens * p.heads;
  const unsigned grid = grid_for(rows, kBlock / 32, int64_t{1} << 20);
  const auto& s = p.strides;
  const bool vec = p.head_dim % E == 0 && aligned_to(p.x, sizeof(T) * E) && s.batch % E == 0 && s.token % E == 0 &&
                   s.head % E == 0;
  if (vec) {
    fk::rms_norm_rope_inplace_kernel<T, E, true><<<grid, kBlock, 0, p.stream>>>(p);
  } else {
    fk::rms_norm_rope_inplace_kernel<T, E, false><<<grid, kBlock, 0, p.stream>>>(p);
  }
  return launch_status("rms_norm_rope_inplace_kernel");
}

}  // namespace

bool rms_norm_rope_inplace_can_run(const RmsNormRopeInplaceParams& p, std::string* why) {
  if (!is_activation_type(p.dtype))
    return fail(why, std::string("rms_norm_rope_inplace: dtype ") + data_type_name(p.dtype));
  if (p.head_dim < 1 || p.head_dim > kMaxHeadDim)
    return fail(why, "rms_norm_rope_inplace: head dim " + std::to_string(p.head_dim) + " (1 to 512 are supported)");
  if (p.weight == nullptr || p.groups < 1 || p.heads % p.groups != 0)
    return fail(why, "rms_norm_rope_inplace: needs a weight row per group of heads");
  if ((p.cos == nullptr) != (p.sin == nullptr)) return fail(why, "rms_norm_rope_inplace: cos and sin go together");
  if (p.cos && p.head_dim % 2 != 0) return fail(why, "rms_norm_rope_inplace: RoPE needs an even head dim");
  return true;
}

std::string rms_norm_rope_inplace(const RmsNormRopeInplaceParams& p) {
  std::string why;
  if (!rms_norm_rope_inplace_can_run(p, &why)) return why;
  if (p.batch * p.tokens * p.heads == 0) return {};
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    if (p.head_dim <= 64) return launch_norm_rope<T, 2>(p);
    if (p.head_dim <= 128) return launch_norm_rope<T, 4>(p);
    if (p.head_dim <= 256) return launch_norm_rope<T, 8>(p);
    return launch_norm_rope<T, 16>(p);
  });
}

std::string activation_inplace(const ActivationInplaceParams& p) {
  if (p.rows == 0 || p.cols == 0) return {};
  if (p.row_stride < p.cols && p.rows > 1) return "activation_inplace: rows overlap";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int V16 = kVec16<T>;
    const bool vec = p.cols % V16 == 0 && p.row_stride % V16 == 0 && aligned16(p.x);
    if (vec) {
      fk::activation_inplace_kernel<T, V16><<<grid_for(p.rows * p.cols / V16, kBlock), kBlock, 0, p.stream>>>(p);
    } else {
      fk::activation_inplace_kernel<T, 1><<<grid_for(p.rows * p.cols, kBlock), kBlock, 0, p.stream>>>(p);
    }
    return launch_status("activation_inplace_kernel");
  });
}

std::string timestep_embedding(const TimestepEmbeddingParams& p) {
  if (p.batch == 0 || p.channels == 0) return {};
  if (p.value_count != 1 && p.value_count != p.batch)
    return "timestep_embedding: " + std::to_string(p.value_count) + " values for batch " + std::to_string(p.batch);
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    const int64_t work = p.batch * std::max<int64_t>(p.channels / 2, 1);
    fk::timestep_embedding_kernel<T><<<grid_for(work, kBlock), kBlock, 0, p.stream>>>(p);
    return launch_status("timestep_embedding_kernel");
  });
}

}  // namespace dc::gpu
