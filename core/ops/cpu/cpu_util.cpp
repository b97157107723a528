#include "core/ops/cpu/cpu_util.h"

#include <cmath>
#include <cstring>

#include "core/base/assert.h"
#include "core/base/thread_pool.h"

namespace dc::ops::cpu {

F32View::F32View(const Tensor& t) {
  DC_ASSERT(t.is_contiguous() && t.device().is_cpu(), "F32View needs a contiguous CPU tensor");
  const int64_t n = t.numel();
  if (t.dtype() == DType::kF32) {
    ptr_ = t.data<float>();
    return;
  }
  owned_.resize(static_cast<size_t>(n));
  const void* src = t.data_ptr();
  const DType dt = t.dtype();
  parallel_for(0, n, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) owned_[i] = static_cast<float>(load_element(src, dt, i));
  }, 1 << 14);
  ptr_ = owned_.data();
}

F32Out::F32Out(const Tensor& out) : out_(out) {
  DC_ASSERT(out.is_contiguous() && out.device().is_cpu(), "F32Out needs a contiguous CPU tensor");
  if (out.dtype() == DType::kF32) {
    ptr_ = out.data<float>();
  } else {
    owned_.resize(static_cast<size_t>(out.numel()));
    ptr_ = owned_.data();
  }
}

void F32Out::commit() {
  if (owned_.empty()) return;
  void* dst = out_.data_ptr();
  const DType dt = out_.dtype();
  parallel_for(0, out_.numel(), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) store_element(dst, dt, i, owned_[i]);
  }, 1 << 14);
}

double load_element(const void* base, DType dtype, int64_t i) {
  switch (dtype) {
    case DType::kF32: return static_cast<const float*>(base)[i];
    case DType::kF64: return static_cast<const double*>(base)[i];
    case DType::kBF16: return bf16_to_f32(static_cast<const uint16_t*>(base)[i]);
    case DType::kF16: return f16_to_f32(static_cast<const uint16_t*>(base)[i]);
    case DType::kF8E4M3: return f8e4m3_to_f32(static_cast<const uint8_t*>(base)[i]);
    case DType::kI64: return static_cast<double>(static_cast<const int64_t*>(base)[i]);
    case DType::kI32: return static_cast<const int32_t*>(base)[i];
    case DType::kI16: return static_cast<const int16_t*>(base)[i];
    case DType::kI8: return static_cast<const int8_t*>(base)[i];
    case DType::kU8: return static_cast<const uint8_t*>(base)[i];
    case DType::kBool: return static_cast<const uint8_t*>(base)[i] ? 1.0 : 0.0;
    case DType::kI4: {
      const uint8_t byte = static_cast<const uint8_t*>(base)[i / 2];
      int v = (i % 2 == 0) ? (byte & 0xf) : (byte >> 4);
      return v >= 8 ? v - 16 : v;
    }
  }
  return 0;
}

void store_element(void* base, DType dtype, int64_t i, double v) {
  switch (dtype) {
    case DType::kF32: static_cast<float*>(base)[i] = static_cast<float>(v); break;
    case DType::kF64: static_cast<double*>(base)[i] = v; break;
    case DType::kBF16: static_cast<uint16_t*>(base)[i] = f32_to_bf16(static_cast<float>(v)); break;
    case DType::kF16: static_cast<uint16_t*>(base)[i] = f32_to_f16(static_cast<float>(v)); break;
    case DType::kF8E4M3: static_cast<uint8_t*>(base)[i] = f32_to_f8e4m3(static_cast<float>(v)); break;
    case DType::kI64: static_cast<int64_t*>(base)[i] = static_cast<int64_t>(v); break;
    case DType::kI32: static_cast<int32_t*>(base)[i] = static_cast<int32_t>(v); break;
    case DType::kI16: static_cast<int16_t*>(base)[i] = static_cast<int16_t>(v); break;
    case DType::kI8: static_cast<int8_t*>(base)[i] = static_cast<int8_t>(v); break;
    case DType::kU8: static_cast<uint8_t*>(base)[i] = static_cast<uint8_t>(v); break;
    case DType::kBool: static_cast<uint8_t*>(base)[i] = v != 0; break;
    case DType::kI4: {
      uint8_t& byte = static_cast<uint8_t*>(base)[i / 2];
      const uint8_t nib = static_cast<uint8_t>(static_cast<int>(v) & 0xf);
      byte = (i % 2 == 0) ? static_cast<uint8_t>((byte & 0xf0) | nib) : static_cast<uint8_t>((byte & 0x0f) | (nib << 4));
      break;
    }
  }
}

void store_f32(const Tensor& out, int64_t index, float value) { store_element(out.data_ptr(), out.dtype(), index, value); }

float apply_activation(Activation act, float x) {
  switch (act) {
    case Activation::kIdentity: return x;
    case Activation::kReLU: return x > 0 ? x : 0.0f;
    case Activation::kReLU6: return std::fmin(std::fmax(x, 0.0f), 6.0f);
    case Activation::kSiLU: return x / (1.0f + std::exp(-x));
    case Activation::kGELU: return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    case Activation::kGELUTanh: {
      const float inner = 0.7978845608028654f * (x + 0.044715f * x * x * x);
      return 0.5f * x * (1.0f + std::tanh(inner));
    }
    case Activation::kQuickGELU: return x / (1.0f + std::exp(-1.702f * x));
  }
  return x;
}

}  // namespace dc::ops::cpu
