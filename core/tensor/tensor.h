// Tensor: shape, strides (in elements), dtype and device over shared storage.
// Views (reshape of contiguous data, permute, slice, unsqueeze) share storage
// and copy nothing. Shapes are in PyTorch order (dim 0 outermost).
//
//   Tensor x = Tensor::empty({1, 3, 64, 64}, DType::kF32);   // CPU
//   Tensor y = x.permute({0, 2, 3, 1});                        // view [1,64,64,3]
//   float* p = x.data<float>();
//
// Copies, casts and device transfers are ops: see core/ops/copy.h.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor/dtype.h"
#include "core/tensor/storage.h"

namespace dc {

using Shape = std::vector<int64_t>;

std::string shape_to_string(const Shape& shape);  // "[1, 3, 64, 64]"
int64_t shape_numel(const Shape& shape);
Shape contiguous_strides(const Shape& shape);

class Tensor {
 public:
  Tensor() = default;  // undefined tensor

  // Allocates uninitialized memory; throws ErrorException(kOutOfMemory) on failure.
  static Tensor empty(const Shape& shape, DType dtype, Device device = Device::cpu());
  // Same, as a Result (for callers at a boundary).
  static Result<Tensor> try_empty(const Shape& shape, DType dtype, Device device = Device::cpu());
  // Wraps existing storage (e.g. an mmapped safetensors payload); no copy.
  static Tensor from_storage(std::shared_ptr<Storage> storage, const Shape& shape, DType dtype,
                             int64_t offset_elements = 0);
  // CPU tensor holding a copy of `values` (f32) / (i64).
  static Tensor from_vector(const std::vector<float>& values, const Shape& shape);
  static Tensor from_vector_i64(const std::vector<int64_t>& values, const Shape& shape);

  bool defined() const { return storage_ != nullptr; }
  const Shape& shape() const { return shape_; }
  const Shape& strides() const { return strides_; }
  int64_t dim() const { return static_cast<int64_t>(shape_.size()); }
  int64_t size(int64_t d) const { return shape_[normalize_dim(d)]; }
  int64_t stride(int64_t d) const { return strides_[normalize_dim(d)]; }
  int64_t numel() const { return shape_numel(shape_); }
  int64_t offset() const { return offset_; }
  DType dtype() const { return dtype_; }
  Device device() const { return storage_ ? storage_->device() : Device::cpu(); }
  bool is_cuda() const { return device().is_cuda(); }
  bool is_contiguous() const;
  // 4-D [N, C, H, W] laid out as NHWC in memory (strides [H·W·C, 1, W·C, C]):
  // PyTorch's channels_last. Shapes stay in PyTorch order; only strides differ.
  bool is_channels_last() const;
  size_t nbytes() const;  // bytes the elements span when contiguous
  const std::shared_ptr<Storage>& storage() const { return storage_; }
  std::string describe() const;  // "bf16[1, 3, 64, 64] cuda:0"

  void* data_ptr() const;
  template <class T>
  T* data() const {
    return static_cast<T*>(data_ptr());
  }

  // ---- views (no copy) ----
  Tensor view(const Shape& shape) const;  // requires contiguous; one dim may be -1
  Tensor permute(const std::vector<int64_t>& dims) const;
  Tensor transpose(int64_t a, int64_t b) const;
  Tensor slice(int64_t dim, int64_t start, int64_t end) const;  // [start, end) along dim
  Tensor select(int64_t dim, int64_t index) const;              // drops dim
  Tensor unsqueeze(int64_t dim) const;
  Tensor squeeze(int64_t dim) const;
  Tensor flatten(int64_t start_dim, int64_t end_dim) const;     // requires the span contiguous
  Tensor unflatten(int64_t dim, const Shape& sizes) const;
  Tensor expand(const Shape& shape) const;                      // broadcast with stride 0
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim) const;

  int64_t normalize_dim(int64_t d) const;

 private:
  std::shared_ptr<Storage> storage_;
  Shape shape_;
  Shape strides_;
  int64_t offset_ = 0;  // elements
  DType dtype_ = DType::kF32;
};

}  // namespace dc
