// Copies, casts and transfers between devices.
//
//   Tensor y = ops::to_device(ops::cast(x, DType::kBF16), Device::cuda());
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

Tensor contiguous(const Tensor& x);                 // x itself if already contiguous
// [N, C, H, W] with NHWC memory (x itself if already channels-last); see Tensor::is_channels_last.
Tensor to_channels_last(const Tensor& x);
// An uninitialized tensor of `shape` laid out like `like` (channels-last when `like` is).
Tensor empty_like_layout(const Shape& shape, const Tensor& like, DType dtype);
Tensor clone(const Tensor& x);                      // always a new contiguous tensor
Tensor cast(const Tensor& x, DType dtype);          // x itself if already dtype
Tensor to_device(const Tensor& x, Device device);   // x itself if already there
Tensor reshape(const Tensor& x, const Shape& shape);  // a view when possible, else a copy
void copy_(const Tensor& dst, const Tensor& src);   // same shape (src may broadcast), any strides/dtypes
void fill_(const Tensor& dst, float value);
Tensor zeros(const Shape& shape, DType dtype, Device device = Device::cpu());
Tensor full(const Shape& shape, float value, DType dtype, Device device = Device::cpu());
Tensor concat(const std::vector<Tensor>& parts, int64_t dim);  // in the first part's layout

// CPU f32 copy of any tensor (for tests, writers and debugging).
std::vector<float> to_f32_vector(const Tensor& x);

}  // namespace dc::ops
