// Validation helpers shared by op front-ends (private to core/ops).
#pragma once

#include <string>

#include "core/base/assert.h"
#include "core/ops/copy.h"
#include "core/tensor/tensor.h"

namespace dc::ops::detail {

inline void check_defined(const Tensor& t, const char* op, const char* what) {
  DC_CHECK(t.defined(), op << ": " << what << " is undefined");
}

inline void check_same_device(const Tensor& a, const Tensor& b, const char* op) {
  DC_CHECK(a.device() == b.device(), op << ": tensors on different devices (" << a.describe() << " vs "
                                        << b.describe() << ")");
}

inline void check_activation_dtype(const Tensor& t, const char* op) {
  const DType d = t.dtype();
  DC_CHECK(d == DType::kF32 || d == DType::kBF16 || d == DType::kF16,
           op << ": unsupported dtype " << dtype_name(d) << " (f32, bf16, f16 are supported)");
}

// `t` contiguous, in `dtype`, on `like`'s device (parameters stored in another dtype are cast).
inline Tensor prepare(const Tensor& t, const Tensor& like) {
  if (!t.defined()) return t;
  check_same_device(t, like, "op");
  return contiguous(cast(t, like.dtype()));
}

// x as a dense tensor in one of the two layouts backends accept for NCHW ops:
// contiguous, or channels-last (kept as is); anything else is made contiguous.
inline Tensor dense(const Tensor& x) {
  if (!x.defined() || x.is_contiguous() || x.is_channels_last()) return x;
  return contiguous(x);
}

// `t` in `like`'s layout (contiguous or channels-last), dtype and device.
inline Tensor match_layout(const Tensor& t, const Tensor& like) {
  if (!t.defined()) return t;
  Tensor c = cast(t, like.dtype());
  if (like.is_channels_last() && !like.is_contiguous()) return to_channels_last(c);
  return contiguous(c);
}

}  // namespace dc::ops::detail
