// Row views of strided tensors (private to core/ops): a tensor [..., cols] whose
// leading dims collapse to rows at one uniform stride, like a column slice
// x[..., a:b] of a wider buffer. The ops that read or write such slices in place
// (fused_linear.h, transformer_inplace.h) and their backends share this test.
#pragma once

#include <cstdint>
#include <optional>

#include "core/tensor/tensor.h"

namespace dc::ops::detail {

struct UniformRows {
  int64_t rows = 0;    // product of the leading dims
  int64_t cols = 0;    // size of the last dim (unit stride)
  int64_t stride = 0;  // elements from one row to the next; ≥ cols, so rows never overlap
};

// t [..., cols] as rows, or nullopt when the last dim is strided or the leading
// dims do not collapse to one stride (e.g. a [B, T, C] slice of [B, T + L, C] for B > 1).
inline std::optional<UniformRows> uniform_rows(const Tensor& t) {
  if (!t.defined() || t.dim() == 0) return std::nullopt;
  UniformRows r;
  r.cols = t.size(-1);
  r.rows = r.cols > 0 ? t.numel() / r.cols : 0;
  if (t.stride(-1) != 1 && r.cols > 1) return std::nullopt;
  r.stride = r.cols;
  int64_t expected = -1;  // the stride the next non-trivial leading dim must have
  for (int64_t d = t.dim() - 2; d >= 0; --d) {
    if (t.size(d) == 1) continue;
    if (expected < 0) {
      r.stride = t.stride(d);
      if (r.stride < r.cols) return std::nullopt;
      expected = r.stride * t.size(d);
    } else {
      if (t.stride(d) != expected) return std::nullopt;
      expected *= t.size(d);
    }
  }
  return r;
}

}  // namespace dc::ops::detail
