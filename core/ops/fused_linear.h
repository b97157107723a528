// Linear layers that read and write slices of wider buffers in place, so a
// model that fuses projections needs no copies around them: x may be a column
// slice of a fused projection (rows at a stride wider than K), and the result
// can go straight into a slice of a joint buffer.
//
//   Tensor qkv = Tensor::empty({B, T + L, 3 * C}, dtype, device);
//   ops::linear_into(qkv.slice(1, 0, T), txt, w_txt_qkv, b_txt_qkv);      // text rows of every sample
//   ops::linear_into(qkv.slice(1, T, T + L), img, w_img_qkv, b_img_qkv);  // image rows
//   ops::linear_into(out, y.slice(2, 2 * C, 7 * C), w_out, b_out);         // x read at row stride 7C
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

// out = x · weightᵀ + bias (torch.nn.functional.linear), written into `out`.
// x [..., K] and out [..., N] have the same leading dims, the same activation
// dtype and device, unit stride along the last dim and any other strides; out
// must not overlap x. Rows at one uniform stride each (detail::uniform_rows) go
// through one GEMM; otherwise the leading dim is split (one GEMM per entry), and
// as a last resort x is copied. Each GEMM is the arithmetic of linear() on the
// same rows (a BLAS may round differently for a different row count).
void linear_into(const Tensor& out, const Tensor& x, const Tensor& weight, const Tensor& bias = {});

}  // namespace dc::ops
