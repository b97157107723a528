// Dense matrix products through cuBLASLt, in row-major (PyTorch) terms.
//
//   C[b] (M x N) = op(A[b]) (M x K) · op(B[b]) (K x N) (+ bias[N]) (+ beta · C[b])
//
// op(A) = A, stored M x K with leading dim lda, or Aᵀ (trans_a) stored K x M;
// likewise B. f32 runs in strict f32 (CUBLAS_COMPUTE_32F, never TF32);
// bf16/f16 accumulate in f32 and round on store; with a bias or beta = 1 some
// algorithms round the product before the addition (two roundings, seen on
// H100 as 1.4x the single-rounding error). The cuBLASLt handle is
// created once per device; the algorithm chosen by the heuristic is cached
// per shape/layout/alignment. The workspace comes from the caller (core
// allocates it from the stream-ordered caching allocator, so concurrent
// streams never share one).
//
//   gpu::GemmParams g;                      // linear: out = x · wᵀ + bias
//   g.a = x; g.lda = K; g.b = w; g.ldb = K; g.trans_b = true;
//   g.c = out; g.ldc = N; g.bias = bias; g.m = M; g.n = N; g.k = K;
//   g.dtype = gpu::DataType::kBF16; g.workspace = ws; g.workspace_bytes = gpu::gemm_workspace_bytes();
//   std::string e = gpu::gemm(g);
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

struct GemmParams {
  const void* a = nullptr;
  int64_t lda = 0;
  int64_t batch_stride_a = 0;  // elements between batch entries (> 0 when batch > 1)
  bool trans_a = false;
  const void* b = nullptr;
  int64_t ldb = 0;
  int64_t batch_stride_b = 0;
  bool trans_b = false;
  void* c = nullptr;
  int64_t ldc = 0;
  int64_t batch_stride_c = 0;
  const void* bias = nullptr;  // [n] in dtype, added to every row; null for none
  float beta = 0.0f;           // 0: C is overwritten; 1: the product is added to C
  DataType dtype = DataType::kF32;
  int64_t m = 0, n = 0, k = 0;
  int batch = 1;
  void* workspace = nullptr;
  size_t workspace_bytes = 0;
  cudaStream_t stream = nullptr;
};

// Workspace size the callers should provide (cuBLASLt's recommendation for Hopper).
size_t gemm_workspace_bytes();

// Capability check: dtype and layout constraints, with the reason when false.
bool gemm_can_run(const GemmParams& p, std::string* why);

std::string gemm(const GemmParams& p);

}  // namespace dc::gpu
