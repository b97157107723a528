// Launchers of the transformer family: vector width and register tiling choice.
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/transformer/transformer.h"
#include "gpu/cuda/transformer/transformer_kernel.cuh"

namespace dc::gpu {
namespace {

namespace tk = transformer_kernel;

constexpr int64_t kMaxRopeHeadDim = 512;   // 8 pairs per lane
constexpr int64_t kMaxModulateVectors = 8 * 1024;  // K = 8 vectors per thread, 1024 threads
constexpr int kBlock = 256;

bool aligned_to(const void* ptr, size_t bytes) { return reinterpret_cast<uintptr_t>(ptr) % bytes == 0; }

template <class U>
std::string launch_embedding(const EmbeddingParams& p) {
  const int64_t units = p.row_bytes / static_cast<int64_t>(sizeof(U));
  tk::embedding_kernel<U><<<grid_for(p.count * units, kBlock), kBlock, 0, p.stream>>>(
      static_cast<U*>(p.out), static_cast<const U*>(p.table), p.ids, p.count, units);
  return launch_status("embedding_kernel");
}

bool fail(std::string* why, std::string text) {
  if (why) *why = std::move(text);
  return false;
}

}  // namespace

std::string embedding_gather(const EmbeddingParams& p) {
  if (p.count == 0 || p.row_bytes == 0) return {};
  auto fits = [&](size_t unit) { return p.row_bytes % unit == 0 && aligned_to(p.out, unit) && aligned_to(p.table, unit); };
  if (fits(16)) return launch_embedding<uint4>(p);
  if (fits(4)) return launch_embedding<uint32_t>(p);
  if (fits(2)) return launch_embedding<uint16_t>(p);
  return launch_embedding<uint8_t>(p);
}

bool rms_norm_rope_can_run(const RmsNormRopeParams& p, std::string* why) {
  if (!is_activation_type(p.dtype)) return fail(why, std::string("rms_norm_rope: dtype ") + data_type_name(p.dtype));
  if (p.head_dim < 1 || p.head_dim > kMaxRopeHeadDim)
    return fail(why, "rms_norm_rope: head dim " + std::to_string(p.head_dim) + " (1 to 512 are supported)");
  if ((p.cos == nullptr) != (p.sin == nullptr)) return fail(why, "rms_norm_rope: cos and sin go together");
  if (p.cos && p.head_dim % 2 != 0) return fail(why, "rms_norm_rope: RoPE needs an even head dim");
  return true;
}

std::string rms_norm_rope(const RmsNormRopeParams& p) {
  std::string why;
  if (!rms_norm_rope_can_run(p, &why)) return why;
  const int64_t rows = p.batch * p.tokens * p.heads;
  if (rows == 0) return {};
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    const unsigned grid = grid_for(rows, kBlock / 32, int64_t{1} << 20);
    auto launch = [&](auto kernel) {
      kernel<<<grid, kBlock, 0, p.stream>>>(p);
      return launch_status("rms_norm_rope_kernel");
    };
    if (p.head_dim <= 64) return launch(tk::rms_norm_rope_kernel<T, 1>);
    if (p.head_dim <= 128) return launch(tk::rms_norm_rope_kernel<T, 2>);
    if (p.head_dim <= 256) return launch(tk::rms_norm_rope_kernel<T, 4>);
    return launch(tk::rms_norm_rope_kernel<T, 8>);
  });
}

bool layer_norm_modulate_can_run(const LayerNormModulateParams& p, std::string* why) {
  if (!is_activation_type(p.dtype))
    return fail(why, std::string("layer_norm_modulate: dtype ") + data_type_name(p.dtype));
  if (p.channels < 1 || p.channels > kMaxModulateVectors)
    return fail(why, "layer_norm_modulate: " + std::to_string(p.channels) + " channels (1 to 8192 are supported)");
  return true;
}

std::string layer_norm_modulate(const LayerNormModulateParams& p) {
  std::string why;
  if (!layer_norm_modulate_can_run(p, &why)) return why;
  const int64_t rows = p.batch * p.tokens;
  if (rows == 0) return {};
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int V16 = kVec16<T>;
    const bool vec = p.channels % V16 == 0 && aligned16(p.out) && aligned16(p.x) && aligned16(p.scale) &&
                     aligned16(p.shift) && p.scale_row_stride % V16 == 0 && p.shift_row_stride % V16 == 0;
    const int64_t nvec = vec ? p.channels / V16 : p.channels;
    int k = 1;
    while (k < 8 && (nvec + k - 1) / k > 1024) k *= 2;
    const int threads = static_cast<int>(std::min<int64_t>(1024, ((nvec + k - 1) / k + 31) / 32 * 32));
    const unsigned grid = static_cast<unsigned>(std::min<int64_t>(rows, int64_t{1} << 20));
    auto launch = [&](auto kernel) {
      kernel<<<grid, threads, 0, p.stream>>>(p);
      return launch_status("layer_norm_modulate_kernel");
    };
    auto by_k = [&](auto v_tag) -> std::string {
      constexpr int V = decltype(v_tag)::value;
      switch (k) {
        case 1: return launch(tk::layer_norm_modulate_kernel<T, V, 1>);
        case 2: return launch(tk::layer_norm_modulate_kernel<T, V, 2>);
        case 4: return launch(tk::layer_norm_modulate_kernel<T, V, 4>);
        default: return launch(tk::layer_norm_modulate_kernel<T, V, 8>);
      }
    };
    return vec ? by_k(std::integral_constant<int, V16>{}) : by_k(std::integral_constant<int, 1>{});
  });
}

std::string gated_residual(const GatedResidualParams& p) {
  const int64_t total = p.batch * p.tokens * p.channels;
  if (total == 0) return {};
  if (!is_activation_type(p.dtype)) return std::string("gated_residual: dtype ") + data_type_name(p.dtype);
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    constexpr int V16 = kVec16<T>;
    const bool vec = p.channels % V16 == 0 && aligned16(p.out) && aligned16(p.x) && aligned16(p.gate) &&
                     aligned16(p.y) && p.gate_row_stride % V16 == 0 && p.y_batch_stride % V16 == 0 &&
                     p.y_token_stride % V16 == 0;
    if (vec) {
      tk::gated_residual_kernel<T, V16><<<grid_for(total / V16, kBlock), kBlock, 0, p.stream>>>(p);
    } else {
      tk::gated_residual_kernel<T, 1><<<grid_for(total, kBlock), kBlock, 0, p.stream>>>(p);
    }
    return launch_status("gated_residual_kernel");
  });
}

}  // namespace dc::gpu
