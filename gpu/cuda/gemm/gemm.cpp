// cuBLASLt dispatch for GemmParams. Row-major C = A·B is computed as the
// column-major product Cᵀ = Bᵀ·Aᵀ: cuBLASLt's "A" is our B and its "B" is our A,
// and D has N rows and M columns, so the bias epilogue (one value per row of D)
// adds bias[n] to every row of our C.
#include "gpu/cuda/gemm/gemm.h"

#include <cublasLt.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "gpu/cuda/common/status.h"

namespace dc::gpu {
namespace {

std::string lt_status(cublasStatus_t s, const char* what) {
  if (s == CUBLAS_STATUS_SUCCESS) return {};
  return std::string("gemm: ") + what + ": " + cublasLtGetStatusName(s) + " (" + cublasLtGetStatusString(s) + ")";
}

#define DC_LT_TRY(call, what) DC_GPU_TRY(lt_status((call), what))

// Move-only owners of cuBLASLt objects (STYLE convention 9).
struct LtHandleDeleter {
  void operator()(cublasLtContext* h) const { cublasLtDestroy(h); }
};
struct MatmulDescDeleter {
  void operator()(cublasLtMatmulDescOpaque_t* d) const { cublasLtMatmulDescDestroy(d); }
};
struct LayoutDeleter {
  void operator()(cublasLtMatrixLayoutOpaque_t* l) const { cublasLtMatrixLayoutDestroy(l); }
};
struct PreferenceDeleter {
  void operator()(cublasLtMatmulPreferenceOpaque_t* p) const { cublasLtMatmulPreferenceDestroy(p); }
};
using LtHandle = std::unique_ptr<cublasLtContext, LtHandleDeleter>;
using MatmulDesc = std::unique_ptr<cublasLtMatmulDescOpaque_t, MatmulDescDeleter>;
using Layout = std::unique_ptr<cublasLtMatrixLayoutOpaque_t, LayoutDeleter>;
using Preference = std::unique_ptr<cublasLtMatmulPreferenceOpaque_t, PreferenceDeleter>;

// The handle of the current device, created on first use and kept for the process.
std::string handle_for_current_device(cublasLtHandle_t* out) {
  static std::mutex mutex;
  static std::map<int, LtHandle> handles;
  int device = 0;
  DC_GPU_TRY(cuda_status(cudaGetDevice(&device), "gemm: cudaGetDevice"));
  std::lock_guard<std::mutex> lock(mutex);
  auto it = handles.find(device);
  if (it == handles.end()) {
    cublasLtHandle_t h = nullptr;
    DC_LT_TRY(cublasLtCreate(&h), "cublasLtCreate");
    it = handles.emplace(device, LtHandle(h)).first;
  }
  *out = it->second.get();
  return {};
}

// Largest power of two (≤ 256) dividing the address: what the chosen algorithm may assume.
uint32_t alignment_of(const void* p) {
  const auto a = reinterpret_cast<uintptr_t>(p);
  uint32_t align = 256;
  while (align > 1 && (a % align) != 0) align >>= 1;
  return align;
}

cudaDataType_t cuda_type(DataType t) {
  switch (t) {
    case DataType::kBF16: return CUDA_R_16BF;
    case DataType::kF16: return CUDA_R_16F;
    default: return CUDA_R_32F;
  }
}

// Everything the heuristic's answer depends on.
struct AlgoKey {
  int device;
  DataType dtype;
  int64_t m, n, k, lda, ldb, ldc, stride_a, stride_b, stride_c;
  int batch;
  bool trans_a, trans_b, bias, accumulate;
  uint32_t align_a, align_b, align_c, align_bias;
  size_t workspace_bytes;
  bool operator==(const AlgoKey&) const = default;
};
struct AlgoKeyHash {
  size_t operator()(const AlgoKey& k) const {
    size_t h = 0;
    auto mix = [&h](uint64_t v) { h ^= std::hash<uint64_t>()(v) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
    for (int64_t v : {k.m, k.n, k.k, k.lda, k.ldb, k.ldc, k.stride_a, k.stride_b, k.stride_c})
      mix(static_cast<uint64_t>(v));
    mix(static_cast<uint64_t>(k.device) << 32 | static_cast<uint64_t>(k.dtype) << 16 | static_cast<uint64_t>(k.batch));
    mix((k.trans_a ? 1u : 0u) | (k.trans_b ? 2u : 0u) | (k.bias ? 4u : 0u) | (k.accumulate ? 8u : 0u));
    mix(static_cast<uint64_t>(k.align_a) | static_cast<uint64_t>(k.align_b) << 16 |
        static_cast<uint64_t>(k.align_c) << 32 | static_cast<uint64_t>(k.align_bias) << 48);
    mix(k.workspace_bytes);
    return h;
  }
};

struct AlgoCache {
  std::mutex mutex;
  std::unordered_map<AlgoKey, cublasLtMatmulAlgo_t, AlgoKeyHash> algos;
};
AlgoCache& algo_cache() {
  static AlgoCache cache;
  return cache;
}

std::string make_layout(Layout* out, cudaDataType_t type, int64_t rows, int64_t cols, int64_t ld, int batch,
                        int64_t stride) {
  cublasLtMatrixLayout_t l = nullptr;
  DC_LT_TRY(cublasLtMatrixLayoutCreate(&l, type, static_cast<uint64_t>(rows), static_cast<uint64_t>(cols), ld),
            "cublasLtMatrixLayoutCreate");
  out->reset(l);
  if (batch > 1) {
    const int32_t count = batch;
    DC_LT_TRY(cublasLtMatrixLayoutSetAttribute(l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &count, sizeof(count)),
              "layout batch count");
    DC_LT_TRY(cublasLtMatrixLayoutSetAttribute(l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &stride,
                                               sizeof(stride)),
              "layout batch stride");
  }
  return {};
}

}  // namespace

size_t gemm_workspace_bytes() { return size_t{32} << 20; }

bool gemm_can_run(const GemmParams& p, std::string* why) {
  auto fail = [why](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  if (!is_activation_type(p.dtype)) return fail(std::string("dtype ") + data_type_name(p.dtype) + " not supported");
  if (p.m < 0 || p.n < 0 || p.k < 0 || p.batch < 1) return fail("negative size or empty batch");
  if (p.k == 0) return fail("k == 0 is not supported");
  if (p.beta != 0.0f && p.beta != 1.0f) return fail("beta must be 0 or 1");
  const int64_t a_cols = p.trans_a ? p.m : p.k, b_cols = p.trans_b ? p.k : p.n;
  if (p.lda < a_cols || p.ldb < b_cols || p.ldc < p.n) return fail("leading dimension smaller than the row length");
  if (p.batch > 1 && (p.batch_stride_a <= 0 || p.batch_stride_b <= 0 || p.batch_stride_c <= 0))
    return fail("batched gemm needs positive batch strides (fold a shared operand into M instead)");
  return true;
}

std::string gemm(const GemmParams& p) {
  if (p.m == 0 || p.n == 0) return {};
  std::string why;
  if (!gemm_can_run(p, &why)) return "gemm: " + why;
  cublasLtHandle_t handle = nullptr;
  DC_GPU_TRY(handle_for_current_device(&handle));
  int device = 0;
  DC_GPU_TRY(cuda_status(cudaGetDevice(&device), "gemm: cudaGetDevice"));

  const cudaDataType_t type = cuda_type(p.dtype);
  cublasLtMatmulDesc_t raw_desc = nullptr;
  DC_LT_TRY(cublasLtMatmulDescCreate(&raw_desc, CUBLAS_COMPUTE_32F, CUDA_R_32F), "cublasLtMatmulDescCreate");
  MatmulDesc desc(raw_desc);
  // Column-major view: op_A applies to our B, op_B to our A.
  const cublasOperation_t op_a = p.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t op_b = p.trans_a ? CUBLAS_OP_T : CUBLAS_OP_N;
  DC_LT_TRY(cublasLtMatmulDescSetAttribute(raw_desc, CUBLASLT_MATMUL_DESC_TRANSA, &op_a, sizeof(op_a)), "transa");
  DC_LT_TRY(cublasLtMatmulDescSetAttribute(raw_desc, CUBLASLT_MATMUL_DESC_TRANSB, &op_b, sizeof(op_b)), "transb");
  if (p.bias) {
    const cublasLtEpilogue_t epilogue = CUBLASLT_EPILOGUE_BIAS;
    DC_LT_TRY(cublasLtMatmulDescSetAttribute(raw_desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof(epilogue)),
              "epilogue");
    DC_LT_TRY(cublasLtMatmulDescSetAttribute(raw_desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &p.bias, sizeof(p.bias)),
              "bias pointer");
    const int32_t bias_type = type;
    DC_LT_TRY(cublasLtMatmulDescSetAttribute(raw_desc, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &bias_type,
                                             sizeof(bias_type)),
              "bias type");
  }

  // Our B (K x N row-major, or N x K when transposed) is column-major N x K (K x N).
  Layout lay_a, lay_b, lay_c;
  DC_GPU_TRY(make_layout(&lay_a, type, p.trans_b ? p.k : p.n, p.trans_b ? p.n : p.k, p.ldb, p.batch, p.batch_stride_b));
  DC_GPU_TRY(make_layout(&lay_b, type, p.trans_a ? p.m : p.k, p.trans_a ? p.k : p.m, p.lda, p.batch, p.batch_stride_a));
  DC_GPU_TRY(make_layout(&lay_c, type, p.n, p.m, p.ldc, p.batch, p.batch_stride_c));

  AlgoKey key{device, p.dtype, p.m, p.n, p.k, p.lda, p.ldb, p.ldc,
              p.batch > 1 ? p.batch_stride_a : 0, p.batch > 1 ? p.batch_stride_b : 0,
              p.batch > 1 ? p.batch_stride_c : 0, p.batch, p.trans_a, p.trans_b, p.bias != nullptr,
              p.beta != 0.0f, alignment_of(p.a), alignment_of(p.b), alignment_of(p.c),
              p.bias ? alignment_of(p.bias) : 256u, p.workspace ? p.workspace_bytes : 0};
  cublasLtMatmulAlgo_t algo{};
  bool cached = false;
  {
    std::lock_guard<std::mutex> lock(algo_cache().mutex);
    auto it = algo_cache().algos.find(key);
    if (it != algo_cache().algos.end()) {
      algo = it->second;
      cached = true;
    }
  }
  if (!cached) {
    cublasLtMatmulPreference_t raw_pref = nullptr;
    DC_LT_TRY(cublasLtMatmulPreferenceCreate(&raw_pref), "cublasLtMatmulPreferenceCreate");
    Preference pref(raw_pref);
    const uint64_t ws = key.workspace_bytes;
    DC_LT_TRY(cublasLtMatmulPreferenceSetAttribute(raw_pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws,
                                                   sizeof(ws)),
              "preference workspace");
    // cuBLASLt's "A" is our B, its "B" our A.
    const uint32_t aligns[4] = {key.align_b, key.align_a, key.align_c, key.align_c};
    const cublasLtMatmulPreferenceAttributes_t attrs[4] = {
        CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES,
        CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES};
    for (int i = 0; i < 4; ++i)
      DC_LT_TRY(cublasLtMatmulPreferenceSetAttribute(raw_pref, attrs[i], &aligns[i], sizeof(uint32_t)),
                "preference alignment");
    if (p.dtype != DataType::kF32) {
      // Split-K partial sums must stay in f32: the in-place and output-type schemes
      // round them to bf16/f16 (a second rounding, seen as √2 the error on H100).
      const uint32_t schemes = CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE;
      DC_LT_TRY(cublasLtMatmulPreferenceSetAttribute(raw_pref, CUBLASLT_MATMUL_PREF_REDUCTION_SCHEME_MASK, &schemes,
                                                     sizeof(schemes)),
                "preference reduction scheme");
    }
    cublasLtMatmulHeuristicResult_t result{};
    int found = 0;
    DC_LT_TRY(cublasLtMatmulAlgoGetHeuristic(handle, raw_desc, lay_a.get(), lay_b.get(), lay_c.get(), lay_c.get(),
                                             raw_pref, 1, &result, &found),
              "cublasLtMatmulAlgoGetHeuristic");
    if (found == 0 || result.state != CUBLAS_STATUS_SUCCESS)
      return "gemm: cuBLASLt has no algorithm for " + std::string(data_type_name(p.dtype)) + " m=" +
             std::to_string(p.m) + " n=" + std::to_string(p.n) + " k=" + std::to_string(p.k);
    algo = result.algo;
    std::lock_guard<std::mutex> lock(algo_cache().mutex);
    algo_cache().algos.emplace(key, algo);
  }

  const float alpha = 1.0f, beta = p.beta;
  DC_LT_TRY(cublasLtMatmul(handle, raw_desc, &alpha, p.b, lay_a.get(), p.a, lay_b.get(), &beta, p.c, lay_c.get(), p.c,
                           lay_c.get(), &algo, p.workspace, p.workspace ? p.workspace_bytes : 0, p.stream),
            "cublasLtMatmul");
  return {};
}

}  // namespace dc::gpu
