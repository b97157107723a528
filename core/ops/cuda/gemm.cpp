// CUDA backend: matmul and linear through gpu/cuda/gemm (cuBLASLt).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/gemm/gemm.h"

namespace dc::ops::cuda {
namespace {

using namespace cuda_detail;

void run_gemm(gpu::GemmParams& g, Device device, const char* op) {
  std::string why;
  check_supported(gpu::gemm_can_run(g, &why), why, op);
  Tensor workspace = scratch_bytes(gpu::gemm_workspace_bytes(), device);
  g.workspace = workspace.data_ptr();
  g.workspace_bytes = gpu::gemm_workspace_bytes();
  g.stream = stream();
  check(gpu::gemm(g), op);
}

}  // namespace

void matmul(const Tensor& out, const Tensor& a, const Tensor& bm) {
  const int64_t batch = a.size(0), m = a.size(1), k = a.size(2), n = bm.size(2);
  if (out.numel() == 0) return;
  gpu::GemmParams g;
  g.dtype = activation_type(a.dtype(), "matmul");
  g.a = a.data_ptr();
  g.lda = k;
  g.b = bm.data_ptr();
  g.ldb = n;
  g.c = out.data_ptr();
  g.ldc = n;
  g.k = k, g.n = n;
  if (bm.size(0) == 1) {  // shared right operand: one GEMM over all batch rows
    g.m = batch * m;
  } else {
    g.m = m;
    g.batch = static_cast<int>(batch);
    g.batch_stride_a = m * k;
    g.batch_stride_b = k * n;
    g.batch_stride_c = m * n;
  }
  run_gemm(g, out.device(), "matmul");
}

void linear(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias) {
  const int64_t m = x.size(0), k = x.size(1), n = w.size(0);
  if (out.numel() == 0) return;
  gpu::GemmParams g;
  g.dtype = activation_type(x.dtype(), "linear");
  g.a = x.data_ptr();  // [m, k]
  g.lda = k;
  g.b = w.data_ptr();  // [n, k], used transposed
  g.ldb = k;
  g.trans_b = true;
  g.c = out.data_ptr();
  g.ldc = n;
  g.bias = ptr_or_null(bias);
  g.m = m, g.n = n, g.k = k;
  run_gemm(g, out.device(), "linear");
}

}  // namespace dc::ops::cuda
