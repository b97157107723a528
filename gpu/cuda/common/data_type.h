// Element types as gpu/cuda sees them. Plain C++ (no CUDA headers), so the
// params structs of every kernel family can carry one and core/ops/cuda can
// fill it from a dc::DType.
//
//   gemm::GemmParams p; p.dtype = gpu::DataType::kBF16;
#pragma once

#include <cstdint>

namespace dc::gpu {

enum class DataType : uint8_t {
  kF32,
  kBF16,
  kF16,
  kF64,
  kI64,
  kI32,
  kI16,
  kI8,
  kU8,
};

inline int data_type_bytes(DataType t) {
  switch (t) {
    case DataType::kF64: case DataType::kI64: return 8;
    case DataType::kF32: case DataType::kI32: return 4;
    case DataType::kBF16: case DataType::kF16: case DataType::kI16: return 2;
    case DataType::kI8: case DataType::kU8: return 1;
  }
  return 0;
}

inline const char* data_type_name(DataType t) {
  switch (t) {
    case DataType::kF32: return "f32";
    case DataType::kBF16: return "bf16";
    case DataType::kF16: return "f16";
    case DataType::kF64: return "f64";
    case DataType::kI64: return "i64";
    case DataType::kI32: return "i32";
    case DataType::kI16: return "i16";
    case DataType::kI8: return "i8";
    case DataType::kU8: return "u8";
  }
  return "?";
}

// The activation types every arithmetic kernel supports (computed in f32).
inline bool is_activation_type(DataType t) {
  return t == DataType::kF32 || t == DataType::kBF16 || t == DataType::kF16;
}

}  // namespace dc::gpu
