// Validation helpers shared by op front-ends (private to core/ops).
#pragma once

#include <optional>
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

// 4-D channels-last that is not also contiguous: the one layout only NHWC
// indexing describes (size-1 C or H·W make the two layouts the same memory).
inline bool is_nhwc(const Tensor& x) { return x.defined() && x.is_channels_last() && !x.is_contiguous(); }

// An uninitialized channels-last [N, C, H, W] (NHWC memory).
inline Tensor empty_channels_last(const Shape& s, DType dtype, Device device) {
  return Tensor::empty({s[0], s[2], s[3], s[1]}, dtype, device).permute({0, 3, 1, 2});
}

// x's dims in memory order: [N, H, W, C] when NHWC, x itself otherwise. A dense
// tensor in memory order is contiguous, so flat kernels run on it unchanged.
inline Tensor memory_order(const Tensor& x) { return is_nhwc(x) ? x.permute({0, 2, 3, 1}) : x; }

// t (dims taken in order, outermost first) as `rows` rows of `cols` unit-stride
// elements, row r starting `r · row_stride` elements after t's first element.
// Channel halves of one tensor (chunk(2, 1)) are such views in either layout:
// NCHW [N, C, H, W] -> rows N of C·H·W; NHWC permuted [N, H, W, C] -> rows N·H·W of C.
struct RowView {
  int64_t rows = 1, cols = 1, row_stride = 1;
};

inline std::optional<RowView> row_view(const Tensor& t) {
  std::vector<int64_t> size, stride;  // non-trivial dims, innermost first
  for (int64_t d = t.dim(); d-- > 0;) {
    if (t.size(d) == 1) continue;
    size.push_back(t.size(d));
    stride.push_back(t.stride(d));
  }
  RowView v;
  size_t i = 0;
  if (i < size.size() && stride[i] != 1) return std::nullopt;
  for (; i < size.size() && stride[i] == v.cols; ++i) v.cols *= size[i];
  v.row_stride = v.cols;
  if (i < size.size()) {
    v.row_stride = stride[i];
    if (v.row_stride < v.cols) return std::nullopt;
    int64_t expected = v.row_stride;
    v.rows = 1;
    for (; i < size.size(); ++i) {
      if (stride[i] != expected) return std::nullopt;
      v.rows *= size[i];
      expected *= size[i];
    }
  }
  return v;
}

}  // namespace dc::ops::detail
