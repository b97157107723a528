// Launchers for fill, binary and pointwise ops (copy_strided lives in copy.cu).
#include <algorithm>
#include <limits>

#include "gpu/cuda/common/convert.cuh"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/elementwise/elementwise.h"
#include "gpu/cuda/elementwise/elementwise_kernel.cuh"
#include "gpu/cuda/elementwise/strided.h"

namespace dc::gpu {
namespace {

constexpr int kBlock = 256;

namespace ek = elementwise_kernel;

template <class U>
std::string launch_fill(const FillParams& p) {
  const U value = static_cast<U>(p.pattern);
  ek::fill_kernel<U><<<grid_for(p.count, kBlock), kBlock, 0, p.stream>>>(static_cast<U*>(p.dst), p.count, value);
  return launch_status("fill_kernel");
}

// Largest element offset reachable through `strides` over `shape` (non-negative strides).
int64_t max_offset(const int64_t* shape, const int64_t* strides, int ndim) {
  int64_t m = 0;
  for (int d = 0; d < ndim; ++d) m += (shape[d] - 1) * strides[d];
  return m;
}

}  // namespace

std::string fill(const FillParams& p) {
  if (p.count == 0) return {};
  if (!p.dst) return "fill: null destination";
  const uint64_t byte = p.pattern & 0xffu;
  bool bytes_equal = true;  // every byte of the element equal: a memset does it
  for (int i = 1; i < p.elem_bytes; ++i) bytes_equal = bytes_equal && ((p.pattern >> (8 * i)) & 0xffu) == byte;
  if (bytes_equal && (p.elem_bytes == 1 || p.elem_bytes == 2 || p.elem_bytes == 4 || p.elem_bytes == 8)) {
    return cuda_status(cudaMemsetAsync(p.dst, static_cast<int>(byte), static_cast<size_t>(p.count) * p.elem_bytes,
                                       p.stream),
                       "fill: cudaMemsetAsync");
  }
  switch (p.elem_bytes) {
    case 2: return launch_fill<uint16_t>(p);
    case 4: return launch_fill<uint32_t>(p);
    case 8: return launch_fill<uint64_t>(p);
    default: break;
  }
  return "fill: unsupported element size " + std::to_string(p.elem_bytes);
}

std::string binary(const BinaryParams& p) {
  if (p.ndim < 0 || p.ndim > kMaxDims) return "binary: rank " + std::to_string(p.ndim) + " exceeds 8";
  int64_t count = 1;
  for (int d = 0; d < p.ndim; ++d) count *= p.shape[d];
  if (count == 0) return {};
  // Operand 0: out/a (contiguous), operand 1: b.
  int64_t contiguous[kMaxDims] = {};
  for (int64_t d = p.ndim - 1, s = 1; d >= 0; --d) {
    contiguous[d] = s;
    s *= p.shape[d];
  }
  const int64_t* strides[2] = {contiguous, p.b_strides};
  const StridedShape<2> ss = simplify_strided<2>(p.ndim, p.shape, strides);
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    T* out = static_cast<T*>(p.out);
    const T* a = static_cast<const T*>(p.a);
    const T* b = static_cast<const T*>(p.b);
    if (ss.contiguous(1)) {
      if (aligned16(out) && aligned16(a) && aligned16(b)) {
        constexpr int V = kVec16<T>;
        ek::binary_flat_kernel<T, V><<<grid_for(count / V + 1, kBlock), kBlock, 0, p.stream>>>(out, a, b, count, p.op);
      } else {
        ek::binary_flat_kernel<T, 1><<<grid_for(count, kBlock), kBlock, 0, p.stream>>>(out, a, b, count, p.op);
      }
      return launch_status("binary_flat_kernel");
    }
    ek::BroadcastDims dims{};
    dims.ndim = ss.ndim;
    for (int d = 0; d < ss.ndim; ++d) {
      dims.shape[d] = ss.shape[d];
      dims.b_strides[d] = ss.strides[1][d];
    }
    const int64_t kNarrow = std::numeric_limits<int32_t>::max();
    if (count <= kNarrow && max_offset(ss.shape, ss.strides[1], ss.ndim) <= kNarrow) {
      ek::binary_strided_kernel<T, uint32_t><<<grid_for(count, kBlock), kBlock, 0, p.stream>>>(out, a, b, count,
                                                                                                dims, p.op);
    } else {
      ek::binary_strided_kernel<T, int64_t><<<grid_for(count, kBlock), kBlock, 0, p.stream>>>(out, a, b, count,
                                                                                               dims, p.op);
    }
    return launch_status("binary_strided_kernel");
  });
}

std::string pointwise(const PointwiseParams& p) {
  if (p.count == 0) return {};
  if (p.cols < 0 || (p.cols > 0 && p.count % p.cols != 0)) return "pointwise: count is not a multiple of cols";
  return dispatch_activation_type(p.dtype, [&](auto tag) -> std::string {
    using T = decltype(tag);
    T* out = static_cast<T*>(p.out);
    const T* x = static_cast<const T*>(p.x);
    const T* gate = static_cast<const T*>(p.gate);
    if (p.cols > 0) {
      constexpr int V = kVec16<T>;
      const int64_t rows = p.count / p.cols;
      const bool vec = p.cols % V == 0 && p.x_row_stride % V == 0 && p.gate_row_stride % V == 0 && aligned16(out) &&
                       aligned16(x) && (!gate || aligned16(gate));
      const int64_t nvec = vec ? p.cols / V : p.cols;
      const dim3 grid(grid_for(nvec, kBlock, 1024), static_cast<unsigned>(std::min<int64_t>(rows, 65535)));
      if (vec) {
        ek::pointwise_rows_kernel<T, V><<<grid, kBlock, 0, p.stream>>>(out, x, gate, rows, p.cols, p.x_row_stride,
                                                                       p.gate_row_stride, p.act, p.scale);
      } else {
        ek::pointwise_rows_kernel<T, 1><<<grid, kBlock, 0, p.stream>>>(out, x, gate, rows, p.cols, p.x_row_stride,
                                                                       p.gate_row_stride, p.act, p.scale);
      }
      return launch_status("pointwise_rows_kernel");
    }
    if (aligned16(out) && aligned16(x) && (!gate || aligned16(gate))) {
      constexpr int V = kVec16<T>;
      ek::pointwise_kernel<T, V><<<grid_for(p.count / V + 1, kBlock), kBlock, 0, p.stream>>>(out, x, gate, p.count,
                                                                                               p.act, p.scale);
    } else {
      ek::pointwise_kernel<T, 1><<<grid_for(p.count, kBlock), kBlock, 0, p.stream>>>(out, x, gate, p.count, p.act,
                                                                                       p.scale);
    }
    return launch_status("pointwise_kernel");
  });
}

}  // namespace dc::gpu
