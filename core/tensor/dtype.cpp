#include "core/tensor/dtype.h"

#include <cmath>
#include <string>

namespace dc {

int dtype_bits(DType t) {
  switch (t) {
    case DType::kF64: case DType::kI64: return 64;
    case DType::kF32: case DType::kI32: return 32;
    case DType::kBF16: case DType::kF16: case DType::kI16: return 16;
    case DType::kF8E4M3: case DType::kI8: case DType::kU8: case DType::kBool: return 8;
    case DType::kI4: return 4;
  }
  return 0;
}

namespace {
struct DTypeNames {
  DType type;
  std::string_view name;
  std::string_view safetensors;
};
constexpr DTypeNames kNames[] = {
    {DType::kF32, "f32", "F32"},   {DType::kF64, "f64", "F64"},       {DType::kBF16, "bf16", "BF16"},
    {DType::kF16, "f16", "F16"},   {DType::kF8E4M3, "f8e4m3", "F8_E4M3"}, {DType::kI64, "i64", "I64"},
    {DType::kI32, "i32", "I32"},   {DType::kI16, "i16", "I16"},       {DType::kI8, "i8", "I8"},
    {DType::kU8, "u8", "U8"},      {DType::kBool, "bool", "BOOL"},    {DType::kI4, "i4", "I4"},
};
}  // namespace

std::string_view dtype_name(DType t) {
  for (const auto& n : kNames)
    if (n.type == t) return n.name;
  return "?";
}

std::string_view dtype_safetensors_name(DType t) {
  for (const auto& n : kNames)
    if (n.type == t) return n.safetensors;
  return "?";
}

std::optional<DType> dtype_from_safetensors(std::string_view name) {
  for (const auto& n : kNames)
    if (n.safetensors == name) return n.type;
  return std::nullopt;
}

std::optional<DType> dtype_from_name(std::string_view name) {
  for (const auto& n : kNames)
    if (n.name == name) return n.type;
  if (name == "float32" || name == "float") return DType::kF32;
  if (name == "bfloat16") return DType::kBF16;
  if (name == "float16" || name == "half") return DType::kF16;
  return std::nullopt;
}

bool dtype_is_float(DType t) {
  return t == DType::kF32 || t == DType::kF64 || t == DType::kBF16 || t == DType::kF16 || t == DType::kF8E4M3;
}

float f16_to_f32(uint16_t h) {
  const uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(man), -24);
  } else if (exp == 31) {
    v = man ? NAN : INFINITY;
  } else {
    v = std::ldexp(static_cast<float>(man | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -v : v;
}

uint16_t f32_to_f16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000;
  const uint32_t absx = x & 0x7fffffff;
  if (absx > 0x7f800000) return static_cast<uint16_t>(sign | 0x7e00);  // NaN
  if (absx >= 0x477ff000) return static_cast<uint16_t>(sign | 0x7c00);  // overflow to inf (after rounding)
  if (absx < 0x38800000) {  // subnormal or zero in f16: value = m * 2^-24
    float a;
    std::memcpy(&a, &absx, 4);
    const float scaled = a * 16777216.0f;  // exact: a < 2^-14
    const uint32_t m = static_cast<uint32_t>(std::nearbyint(scaled));  // RNE under default rounding mode
    return static_cast<uint16_t>(sign | m);
  }
  uint32_t e = ((absx >> 23) - 112) << 10;
  uint32_t m = absx & 0x7fffff;
  uint32_t out = e | (m >> 13);
  const uint32_t rem = m & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (out & 1))) ++out;
  return static_cast<uint16_t>(sign | out);
}

float f8e4m3_to_f32(uint8_t v) {
  const uint32_t sign = v >> 7, exp = (v >> 3) & 0xf, man = v & 7;
  float r;
  if (exp == 15 && man == 7) return NAN;
  if (exp == 0) {
    r = std::ldexp(static_cast<float>(man), -9);
  } else {
    r = std::ldexp(static_cast<float>(man | 8), static_cast<int>(exp) - 10);
  }
  return sign ? -r : r;
}

uint8_t f32_to_f8e4m3(float f) {
  if (std::isnan(f)) return 0x7f;
  const uint8_t sign = std::signbit(f) ? 0x80 : 0;
  float a = std::fabs(f);
  if (a >= 448.0f) return sign | 0x7e;  // saturate
  // Find the nearest representable value by brute force over 127 magnitudes:
  // simple, exact, and only used on the CPU reference path.
  uint8_t best = 0;
  float best_err = INFINITY;
  for (uint8_t c = 0; c < 0x7f; ++c) {
    const float err = std::fabs(f8e4m3_to_f32(c) - a);
    if (err < best_err || (err == best_err && (c & 1) == 0)) {
      best_err = err;
      best = c;
    }
  }
  return sign | best;
}

}  // namespace dc
