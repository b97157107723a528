// copy_strided: contiguous same-type copies go to cudaMemcpyAsync, everything
// else to one flat or strided kernel per (destination, source) type pair.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/elementwise/copy_kernel.cuh"
#include "gpu/cuda/elementwise/elementwise.h"
#include "gpu/cuda/elementwise/strided.h"

namespace dc::gpu {
namespace {

constexpr int kBlock = 256;
namespace ck = copy_kernel;

int64_t max_offset(const StridedShape<2>& s, int operand) {
  int64_t m = 0;
  for (int d = 0; d < s.ndim; ++d) m += (s.shape[d] - 1) * s.strides[operand][d];
  return m;
}

template <class D, class S>
std::string launch_copy(const CopyParams& p, const StridedShape<2>& s) {
  D* dst = static_cast<D*>(p.dst);
  const S* src = static_cast<const S*>(p.src);
  const int64_t count = s.numel();
  if (s.contiguous(0) && s.contiguous(1)) {
    ck::copy_flat_kernel<D, S><<<grid_for(count, kBlock), kBlock, 0, p.stream>>>(dst, src, count);
    return launch_status("copy_flat_kernel");
  }
  ck::CopyDims dims{};
  dims.ndim = s.ndim;
  for (int d = 0; d < s.ndim; ++d) {
    dims.shape[d] = s.shape[d];
    dims.dst_strides[d] = s.strides[0][d];
    dims.src_strides[d] = s.strides[1][d];
  }
  const int64_t kNarrow = std::numeric_limits<int32_t>::max();
  if (count <= kNarrow && max_offset(s, 0) <= kNarrow && max_offset(s, 1) <= kNarrow) {
    ck::copy_strided_kernel<D, S, uint32_t><<<grid_for(count, kBlock), kBlock, 0, p.stream>>>(dst, src, count, dims);
  } else {
    ck::copy_strided_kernel<D, S, int64_t><<<grid_for(count, kBlock), kBlock, 0, p.stream>>>(dst, src, count, dims);
  }
  return launch_status("copy_strided_kernel");
}

template <class D>
std::string launch_from_float_source(const CopyParams& p, const StridedShape<2>& s) {
  switch (p.src_type) {
    case DataType::kF32: return launch_copy<D, float>(p, s);
    case DataType::kBF16: return launch_copy<D, __nv_bfloat16>(p, s);
    case DataType::kF16: return launch_copy<D, __half>(p, s);
    default: break;
  }
  return "copy_strided: unsupported source type";
}

// Re-expresses `s` (elements of `bytes`) in words of `word` bytes when the
// innermost dim is contiguous on both sides and every extent, stride and base
// address stays word-aligned; false (s unchanged) otherwise.
bool widen(StridedShape<2>& s, int bytes, int word, const void* dst, const void* src) {
  if (s.ndim == 0 || s.strides[0][0] != 1 || s.strides[1][0] != 1) return false;
  const int64_t k = word / bytes;
  if ((reinterpret_cast<uintptr_t>(dst) | reinterpret_cast<uintptr_t>(src)) % word != 0) return false;
  if (s.shape[0] % k != 0) return false;
  for (int d = 1; d < s.ndim; ++d)
    if (s.strides[0][d] % k != 0 || s.strides[1][d] % k != 0) return false;
  s.shape[0] /= k;
  for (int d = 1; d < s.ndim; ++d) {
    s.strides[0][d] /= k;
    s.strides[1][d] /= k;
  }
  return true;
}

}  // namespace

bool can_copy(DataType dst, DataType src) {
  return dst == src || (is_activation_type(dst) && is_activation_type(src));
}

std::string copy_strided(const CopyParams& p) {
  if (p.ndim < 0 || p.ndim > kMaxDims) return "copy_strided: rank " + std::to_string(p.ndim) + " exceeds 8";
  if (!can_copy(p.dst_type, p.src_type))
    return std::string("copy_strided: no conversion from ") + data_type_name(p.src_type) + " to " +
           data_type_name(p.dst_type);
  for (int d = 0; d < p.ndim; ++d) {
    if (p.shape[d] == 0) return {};
    if (p.dst_strides[d] < 0 || p.src_strides[d] < 0) return "copy_strided: negative strides are not supported";
  }
  // Walk the destination in memory order (dims sorted by its strides, largest
  // outermost), so consecutive threads write adjacent elements whatever the
  // logical dim order: channels-last views keep their channels innermost.
  int order[kMaxDims];
  for (int d = 0; d < p.ndim; ++d) order[d] = d;
  std::stable_sort(order, order + p.ndim, [&](int a, int b) { return p.dst_strides[a] > p.dst_strides[b]; });
  int64_t shape[kMaxDims], dst_strides[kMaxDims], src_strides[kMaxDims];
  for (int d = 0; d < p.ndim; ++d) {
    shape[d] = p.shape[order[d]];
    dst_strides[d] = p.dst_strides[order[d]];
    src_strides[d] = p.src_strides[order[d]];
  }
  const int64_t* strides[2] = {dst_strides, src_strides};
  StridedShape<2> s = simplify_strided<2>(p.ndim, shape, strides);
  if (p.dst_type == p.src_type) {
    const int bytes = data_type_bytes(p.dst_type);
    if (s.contiguous(0) && s.contiguous(1)) {
      return cuda_status(cudaMemcpyAsync(p.dst, p.src, static_cast<size_t>(s.numel()) * bytes,
                                         cudaMemcpyDeviceToDevice, p.stream),
                         "copy_strided: cudaMemcpyAsync");
    }
    // Bit-exact moves need no knowledge of the type: rows contiguous on both
    // sides move as the widest aligned words (16 bytes for channel runs of
    // channels-last concatenation).
    for (int word : {16, 8, 4}) {
      if (word <= bytes || !widen(s, bytes, word, p.dst, p.src)) continue;
      switch (word) {
        case 16: return launch_copy<uint4, uint4>(p, s);
        case 8: return launch_copy<uint2, uint2>(p, s);
        default: return launch_copy<uint32_t, uint32_t>(p, s);
      }
    }
    switch (bytes) {
      case 1: return launch_copy<uint8_t, uint8_t>(p, s);
      case 2: return launch_copy<uint16_t, uint16_t>(p, s);
      case 4: return launch_copy<uint32_t, uint32_t>(p, s);
      case 8: return launch_copy<uint64_t, uint64_t>(p, s);
      default: return "copy_strided: unsupported element size";
    }
  }
  switch (p.dst_type) {
    case DataType::kF32: return launch_from_float_source<float>(p, s);
    case DataType::kBF16: return launch_from_float_source<__nv_bfloat16>(p, s);
    case DataType::kF16: return launch_from_float_source<__half>(p, s);
    default: break;
  }
  return "copy_strided: unsupported destination type";
}

}  // namespace dc::gpu
