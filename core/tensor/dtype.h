// Element types. Packed types (int4 pairs, fp8) appear only inside quantized
// layers; activations are f32/bf16/f16.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace dc {

enum class DType : uint8_t {
  kF32,
  kF64,
  kBF16,
  kF16,
  kF8E4M3,  // fp8 e4m3fn (no inf; 0x7f/0xff are NaN)
  kI64,
  kI32,
  kI16,
  kI8,
  kU8,
  kBool,
  kI4,  // two signed 4-bit values per byte, low nibble first; scales live in a separate tensor
};

// Bits per element (4 for kI4).
int dtype_bits(DType t);
std::string_view dtype_name(DType t);                       // "f32", "bf16", ...
std::string_view dtype_safetensors_name(DType t);           // "F32", "BF16", ... ("I4" is ours)
std::optional<DType> dtype_from_safetensors(std::string_view name);
std::optional<DType> dtype_from_name(std::string_view name);  // accepts "f32", "bf16", "float32", ...
bool dtype_is_float(DType t);

// Scalar conversions (round-to-nearest-even, as PyTorch does).
inline float bf16_to_f32(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
inline uint16_t f32_to_bf16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40);  // quiet NaN
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}
float f16_to_f32(uint16_t h);
uint16_t f32_to_f16(float f);
float f8e4m3_to_f32(uint8_t v);
uint8_t f32_to_f8e4m3(float f);  // saturates to ±448

}  // namespace dc
