#include "core/tensor/tensor.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/base/assert.h"

namespace dc {

std::string shape_to_string(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

Shape contiguous_strides(const Shape& shape) {
  Shape strides(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    s *= std::max<int64_t>(shape[i], 1);
  }
  return strides;
}

static size_t bytes_for(int64_t numel, DType dtype) {
  return static_cast<size_t>((numel * dtype_bits(dtype) + 7) / 8);
}

Result<Tensor> Tensor::try_empty(const Shape& shape, DType dtype, Device device) {
  for (int64_t d : shape)
    if (d < 0) return Error::invalid_argument("negative dimension in shape " + shape_to_string(shape));
  DC_TRY(auto storage, Storage::allocate(bytes_for(shape_numel(shape), dtype), device));
  return from_storage(std::move(storage), shape, dtype);
}

Tensor Tensor::empty(const Shape& shape, DType dtype, Device device) {
  return try_empty(shape, dtype, device).value_or_throw();
}

Tensor Tensor::from_storage(std::shared_ptr<Storage> storage, const Shape& shape, DType dtype,
                            int64_t offset_elements) {
  Tensor t;
  t.storage_ = std::move(storage);
  t.shape_ = shape;
  t.strides_ = contiguous_strides(shape);
  t.offset_ = offset_elements;
  t.dtype_ = dtype;
  DC_ASSERT(bytes_for(offset_elements + t.numel(), dtype) <= t.storage_->bytes(),
            "tensor " << shape_to_string(shape) << " exceeds its storage");
  return t;
}

Tensor Tensor::from_vector(const std::vector<float>& values, const Shape& shape) {
  DC_CHECK(static_cast<int64_t>(values.size()) == shape_numel(shape),
           values.size() << " values do not fill shape " << shape_to_string(shape));
  Tensor t = empty(shape, DType::kF32);
  std::memcpy(t.data_ptr(), values.data(), values.size() * sizeof(float));
  return t;
}

Tensor Tensor::from_vector_i64(const std::vector<int64_t>& values, const Shape& shape) {
  DC_CHECK(static_cast<int64_t>(values.size()) == shape_numel(shape),
           values.size() << " values do not fill shape " << shape_to_string(shape));
  Tensor t = empty(shape, DType::kI64);
  std::memcpy(t.data_ptr(), values.data(), values.size() * sizeof(int64_t));
  return t;
}

bool Tensor::is_contiguous() const {
  int64_t expected = 1;
  for (size_t i = shape_.size(); i-- > 0;) {
    if (shape_[i] == 1) continue;
    if (strides_[i] != expected) return false;
    expected *= shape_[i];
  }
  return true;
}

bool Tensor::is_channels_last() const {
  if (dim() != 4) return false;
  const int64_t c = shape_[1], h = shape_[2], w = shape_[3];
  // Size-1 dims may carry any stride, as in is_contiguous().
  return (c == 1 || strides_[1] == 1) && (w == 1 || strides_[3] == c) && (h == 1 || strides_[2] == w * c) &&
         (shape_[0] == 1 || strides_[0] == h * w * c);
}

size_t Tensor::nbytes() const { return bytes_for(numel(), dtype_); }

std::string Tensor::describe() const {
  if (!defined()) return "undefined";
  return std::string(dtype_name(dtype_)) + shape_to_string(shape_) + " " + device().to_string();
}

void* Tensor::data_ptr() const {
  DC_ASSERT(defined(), "data_ptr of an undefined tensor");
  DC_ASSERT(dtype_ != DType::kI4 || offset_ % 2 == 0, "int4 tensor offset must be byte aligned");
  return static_cast<char*>(storage_->data()) + (offset_ * dtype_bits(dtype_)) / 8;
}

int64_t Tensor::normalize_dim(int64_t d) const {
  const int64_t n = dim();
  if (d < 0) d += n;
  DC_CHECK(d >= 0 && d < n, "dimension " << d << " out of range for " << describe());
  return d;
}

Tensor Tensor::view(const Shape& shape) const {
  Shape s = shape;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == -1) {
      DC_CHECK(infer < 0, "view: more than one -1 in " << shape_to_string(shape));
      infer = static_cast<int64_t>(i);
    } else {
      known *= s[i];
    }
  }
  if (infer >= 0) {
    DC_CHECK(known > 0 && numel() % known == 0, "view: cannot infer -1 in " << shape_to_string(shape));
    s[infer] = numel() / known;
  }
  DC_CHECK(shape_numel(s) == numel(),
           "view: " << shape_to_string(s) << " does not match " << describe());
  DC_CHECK(is_contiguous(), "view of non-contiguous " << describe() << " (use ops::reshape)");
  Tensor t = *this;
  t.shape_ = s;
  t.strides_ = contiguous_strides(s);
  return t;
}

Tensor Tensor::permute(const std::vector<int64_t>& dims) const {
  DC_CHECK(static_cast<int64_t>(dims.size()) == dim(), "permute: wrong number of dims for " << describe());
  Tensor t = *this;
  std::vector<bool> seen(dims.size(), false);
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = normalize_dim(dims[i]);
    DC_CHECK(!seen[d], "permute: repeated dim " << d);
    seen[d] = true;
    t.shape_[i] = shape_[d];
    t.strides_[i] = strides_[d];
  }
  return t;
}

Tensor Tensor::transpose(int64_t a, int64_t b) const {
  a = normalize_dim(a);
  b = normalize_dim(b);
  Tensor t = *this;
  std::swap(t.shape_[a], t.shape_[b]);
  std::swap(t.strides_[a], t.strides_[b]);
  return t;
}

Tensor Tensor::slice(int64_t d, int64_t start, int64_t end) const {
  d = normalize_dim(d);
  DC_CHECK(0 <= start && start <= end && end <= shape_[d],
           "slice [" << start << ", " << end << ") out of range for dim " << d << " of " << describe());
  DC_CHECK(dtype_ != DType::kI4 || d == 0, "int4 tensors slice only along dim 0");
  Tensor t = *this;
  t.offset_ += start * strides_[d];
  t.shape_[d] = end - start;
  return t;
}

Tensor Tensor::select(int64_t d, int64_t index) const {
  d = normalize_dim(d);
  Tensor t = slice(d, index, index + 1);
  t.shape_.erase(t.shape_.begin() + d);
  t.strides_.erase(t.strides_.begin() + d);
  return t;
}

Tensor Tensor::unsqueeze(int64_t d) const {
  if (d < 0) d += dim() + 1;
  DC_CHECK(d >= 0 && d <= dim(), "unsqueeze: dim " << d << " out of range for " << describe());
  Tensor t = *this;
  const int64_t stride = d < dim() ? strides_[d] * shape_[d] : 1;
  t.shape_.insert(t.shape_.begin() + d, 1);
  t.strides_.insert(t.strides_.begin() + d, stride);
  return t;
}

Tensor Tensor::squeeze(int64_t d) const {
  d = normalize_dim(d);
  DC_CHECK(shape_[d] == 1, "squeeze: dim " << d << " of " << describe() << " is not 1");
  Tensor t = *this;
  t.shape_.erase(t.shape_.begin() + d);
  t.strides_.erase(t.strides_.begin() + d);
  return t;
}

Tensor Tensor::flatten(int64_t start, int64_t end) const {
  start = normalize_dim(start);
  end = normalize_dim(end);
  DC_CHECK(start <= end, "flatten: start after end");
  for (int64_t i = start; i < end; ++i)
    DC_CHECK(shape_[i + 1] == 1 || strides_[i] == strides_[i + 1] * shape_[i + 1],
             "flatten: dims " << start << ".." << end << " of " << describe() << " are not contiguous");
  Tensor t = *this;
  int64_t n = 1;
  for (int64_t i = start; i <= end; ++i) n *= shape_[i];
  t.shape_.erase(t.shape_.begin() + start, t.shape_.begin() + end + 1);
  t.strides_.erase(t.strides_.begin() + start, t.strides_.begin() + end + 1);
  t.shape_.insert(t.shape_.begin() + start, n);
  t.strides_.insert(t.strides_.begin() + start, strides_[end]);
  return t;
}

Tensor Tensor::unflatten(int64_t d, const Shape& sizes) const {
  d = normalize_dim(d);
  Shape s = sizes;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == -1) infer = static_cast<int64_t>(i);
    else known *= s[i];
  }
  if (infer >= 0) s[infer] = shape_[d] / known;
  DC_CHECK(shape_numel(s) == shape_[d], "unflatten: " << shape_to_string(sizes) << " does not split dim "
                                                      << d << " of " << describe());
  Tensor t = *this;
  Shape inner = contiguous_strides(s);
  for (auto& st : inner) st *= strides_[d];
  t.shape_.erase(t.shape_.begin() + d);
  t.strides_.erase(t.strides_.begin() + d);
  t.shape_.insert(t.shape_.begin() + d, s.begin(), s.end());
  t.strides_.insert(t.strides_.begin() + d, inner.begin(), inner.end());
  return t;
}

Tensor Tensor::expand(const Shape& shape) const {
  DC_CHECK(static_cast<int64_t>(shape.size()) >= dim(), "expand: fewer dims than " << describe());
  Tensor t = *this;
  const size_t lead = shape.size() - shape_.size();
  t.shape_ = shape;
  t.strides_.assign(shape.size(), 0);
  for (size_t i = 0; i < shape_.size(); ++i) {
    const size_t o = i + lead;
    if (shape_[i] == shape[o]) {
      t.strides_[o] = strides_[i];
    } else {
      DC_CHECK(shape_[i] == 1, "expand: cannot broadcast " << describe() << " to " << shape_to_string(shape));
    }
  }
  return t;
}

std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t d) const {
  d = normalize_dim(d);
  DC_CHECK(chunks > 0 && shape_[d] % chunks == 0, "chunk: dim " << d << " of " << describe()
                                                                << " does not split into " << chunks);
  const int64_t step = shape_[d] / chunks;
  std::vector<Tensor> out;
  for (int64_t i = 0; i < chunks; ++i) out.push_back(slice(d, i * step, (i + 1) * step));
  return out;
}

}  // namespace dc
