// CUDA backend: linear on row-strided operands, one cuBLASLt GEMM with the row
// strides as leading dimensions.
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "core/ops/strided_rows.h"
#include "gpu/cuda/gemm/gemm.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void linear_rows(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias) {
  const detail::UniformRows xr = *detail::uniform_rows(x), orows = *detail::uniform_rows(out);
  if (orows.rows == 0 || orows.cols == 0) return;
  gpu::GemmParams g;
  g.dtype = activation_type(x.dtype(), "linear_rows");
  g.a = x.data_ptr();  // [m, k] at row stride lda
  g.lda = xr.stride;
  g.b = w.data_ptr();  // [n, k], used transposed
  g.ldb = xr.cols;
  g.trans_b = true;
  g.c = out.data_ptr();  // [m, n] at row stride ldc
  g.ldc = orows.stride;
  g.bias = ptr_or_null(bias);
  g.m = xr.rows, g.n = orows.cols, g.k = xr.cols;
  std::string why;
  check_supported(gpu::gemm_can_run(g, &why), why, "linear_rows");
  Tensor workspace = scratch_bytes(gpu::gemm_workspace_bytes(), out.device());
  g.workspace = workspace.data_ptr();
  g.workspace_bytes = gpu::gemm_workspace_bytes();
  g.stream = stream();
  check(gpu::gemm(g), "linear_rows");
}

}  // namespace dc::ops::cuda
