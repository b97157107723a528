// Helpers shared by the CPU reference ops: f32 views of activation tensors and
// stores back into the output dtype (f32, bf16, f16), rounding once per element.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ops/elementwise.h"
#include "core/tensor/tensor.h"

namespace dc::ops::cpu {

// A contiguous f32 view of a contiguous f32/bf16/f16 tensor: borrows f32 data,
// converts other dtypes into an owned buffer.
class F32View {
 public:
  explicit F32View(const Tensor& t);
  const float* data() const { return ptr_; }
  const float& operator[](int64_t i) const { return ptr_[i]; }

 private:
  std::vector<float> owned_;
  const float* ptr_ = nullptr;
};

// Destination for f32 results: writes in place when `out` is f32, else into a
// buffer converted on commit().
class F32Out {
 public:
  explicit F32Out(const Tensor& out);
  float* data() { return ptr_; }
  float& operator[](int64_t i) { return ptr_[i]; }
  void commit();

 private:
  Tensor out_;
  std::vector<float> owned_;
  float* ptr_ = nullptr;
};

// Element i of a contiguous-or-not tensor as f64 (any dtype except i4), and store.
double load_element(const void* base, DType dtype, int64_t index);
void store_element(void* base, DType dtype, int64_t index, double value);

void store_f32(const Tensor& out, int64_t index, float value);

// The activation formulas of torch.nn.functional, in f32.
float apply_activation(Activation act, float x);

}  // namespace dc::ops::cpu
