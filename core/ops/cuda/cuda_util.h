// Helpers shared by the CUDA backend (private to core/ops/cuda): Tensor ->
// raw-pointer params conversion, the current stream, scratch allocation and
// error translation. gpu/cuda returns strings; here they become ErrorExceptions.
#pragma once

#include <cuda_runtime_api.h>

#include <string>

#include "core/base/error.h"
#include "core/ops/elementwise.h"
#include "core/tensor/cuda_context.h"
#include "core/tensor/tensor.h"
#include "gpu/cuda/common/data_type.h"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::ops::cuda_detail {

inline cudaStream_t stream() { return static_cast<cudaStream_t>(current_cuda_stream()); }

// Activation dtypes only (f32, bf16, f16); anything else is not supported.
inline gpu::DataType activation_type(DType t, const char* op) {
  switch (t) {
    case DType::kF32: return gpu::DataType::kF32;
    case DType::kBF16: return gpu::DataType::kBF16;
    case DType::kF16: return gpu::DataType::kF16;
    default: break;
  }
  throw_error(Error::not_supported(std::string(op) + ": dtype " + std::string(dtype_name(t)) +
                                   " is not supported on CUDA (f32, bf16, f16 are)"));
}

inline gpu::ActivationKind activation_kind(Activation a) {
  switch (a) {
    case Activation::kIdentity: return gpu::ActivationKind::kIdentity;
    case Activation::kReLU: return gpu::ActivationKind::kReLU;
    case Activation::kReLU6: return gpu::ActivationKind::kReLU6;
    case Activation::kSiLU: return gpu::ActivationKind::kSiLU;
    case Activation::kGELU: return gpu::ActivationKind::kGELU;
    case Activation::kGELUTanh: return gpu::ActivationKind::kGELUTanh;
    case Activation::kQuickGELU: return gpu::ActivationKind::kQuickGELU;
  }
  throw_error(Error::not_supported("activation: unknown activation on CUDA"));
}

inline const void* ptr_or_null(const Tensor& t) { return t.defined() ? t.data_ptr() : nullptr; }

// Turns a gpu/cuda status string into an internal error naming the op.
inline void check(const std::string& status, const char* op) {
  if (!status.empty()) throw_error(Error::internal(std::string(op) + " (CUDA): " + status));
}

// A capability check that failed: the request is valid but not runnable here.
inline void check_supported(bool ok, const std::string& why, const char* op) {
  if (!ok) throw_error(Error::not_supported(std::string(op) + " (CUDA): " + why));
}

// Device bytes from the caching allocator, freed (stream-ordered) when the
// returned tensor goes out of scope after the launches that use it.
inline Tensor scratch_bytes(size_t bytes, Device device) {
  return Tensor::empty({static_cast<int64_t>(bytes)}, DType::kU8, device);
}

}  // namespace dc::ops::cuda_detail
