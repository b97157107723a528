// Host-side shape simplification for strided kernels: drops size-1 dims and
// merges neighbours that every operand walks contiguously, so a permuted or
// broadcast view usually becomes 1-3 dims. The result lists dims innermost
// first, the order the kernels decompose a linear index in.
#pragma once

#include <cstdint>

#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::gpu {

template <int kOperands>
struct StridedShape {
  int ndim = 0;                                   // 0 means a single element
  int64_t shape[kMaxDims] = {};                   // innermost first
  int64_t strides[kOperands][kMaxDims] = {};      // innermost first, per operand
  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= shape[d];
    return n;
  }
  bool contiguous(int operand) const { return ndim == 0 || (ndim == 1 && strides[operand][0] == 1); }
};

// `shape` outermost first (as tensors store it); strides[k] likewise per operand.
template <int kOperands>
StridedShape<kOperands> simplify_strided(int ndim, const int64_t* shape, const int64_t* const* strides) {
  StridedShape<kOperands> r;
  for (int d = ndim - 1; d >= 0; --d) {  // innermost first
    if (shape[d] == 1) continue;
    if (r.ndim > 0) {
      const int inner = r.ndim - 1;
      bool mergeable = true;
      for (int k = 0; k < kOperands; ++k)
        mergeable = mergeable && strides[k][d] == r.strides[k][inner] * r.shape[inner];
      if (mergeable) {
        r.shape[inner] *= shape[d];
        continue;
      }
    }
    r.shape[r.ndim] = shape[d];
    for (int k = 0; k < kOperands; ++k) r.strides[k][r.ndim] = strides[k][d];
    ++r.ndim;
  }
  return r;
}

}  // namespace dc::gpu
