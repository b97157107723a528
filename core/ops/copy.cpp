#include "core/ops/copy.h"

#include <cstring>

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/op_util.h"

#ifdef DC_HAVE_CUDA
#include "gpu/cuda/common/runtime.h"
#include "core/tensor/cuda_context.h"
#endif

namespace dc::ops {

void throw_cuda_not_compiled(const char* op) {
  throw_error(Error::not_supported(std::string(op) + ": this build has no CUDA support"));
}

void copy_(const Tensor& dst, const Tensor& src) {
  DC_OP_SCOPE("copy_");
  DC_CHECK(dst.defined() && src.defined(), "copy_: undefined tensor");
  detail::check_same_device(dst, src, "copy_");
  Tensor s = src.shape() == dst.shape() ? src : src.expand(dst.shape());
  DC_OPS_DISPATCH(dst.device(), copy_strided, dst, s);
}

Tensor contiguous(const Tensor& x) {
  DC_OP_SCOPE("contiguous");
  if (!x.defined() || x.is_contiguous()) return x;
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), copy_strided, out, x);
  return out;
}

Tensor empty_like_layout(const Shape& shape, const Tensor& like, DType dtype) {
  if (!like.is_channels_last() || like.is_contiguous() || shape.size() != 4) {
    return Tensor::empty(shape, dtype, like.device());
  }
  // Allocate NHWC and view it as [N, C, H, W].
  return Tensor::empty({shape[0], shape[2], shape[3], shape[1]}, dtype, like.device()).permute({0, 3, 1, 2});
}

Tensor to_channels_last(const Tensor& x) {
  DC_OP_SCOPE("to_channels_last");
  DC_CHECK(x.dim() == 4, "to_channels_last: expects [N, C, H, W], got " << x.describe());
  if (x.is_channels_last()) return x;
  Tensor out = Tensor::empty({x.size(0), x.size(2), x.size(3), x.size(1)}, x.dtype(), x.device()).permute({0, 3, 1, 2});
  DC_OPS_DISPATCH(x.device(), copy_strided, out, x);
  return out;
}

Tensor clone(const Tensor& x) {
  DC_OP_SCOPE("clone");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), copy_strided, out, x);
  return out;
}

Tensor cast(const Tensor& x, DType dtype) {
  DC_OP_SCOPE("cast");
  if (!x.defined() || x.dtype() == dtype) return x;
  Tensor out = Tensor::empty(x.shape(), dtype, x.device());
  DC_OPS_DISPATCH(x.device(), copy_strided, out, x);
  return out;
}

Tensor to_device(const Tensor& x, Device device) {
  DC_OP_SCOPE("to_device");
  if (!x.defined() || x.device() == device) return x;
  Tensor src = contiguous(x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), device);
#ifdef DC_HAVE_CUDA
  const cudaMemcpyKind kind = device.is_cuda() ? (src.is_cuda() ? cudaMemcpyDeviceToDevice : cudaMemcpyHostToDevice)
                                               : cudaMemcpyDeviceToHost;
  auto stream = static_cast<cudaStream_t>(current_cuda_stream());
  std::string e = gpu::memcpy_async(out.data_ptr(), src.data_ptr(), src.nbytes(), kind, stream);
  if (e.empty() && device.is_cpu()) e = gpu::stream_synchronize(stream);  // host data must be ready
  if (!e.empty()) throw_error(Error::internal("copy to " + device.to_string() + " failed: " + e));
#else
  throw_cuda_not_compiled("to_device");
#endif
  return out;
}

Tensor reshape(const Tensor& x, const Shape& shape) {
  if (x.is_contiguous()) return x.view(shape);
  return contiguous(x).view(shape);
}

void fill_(const Tensor& dst, float value) {
  DC_OP_SCOPE("fill_");
  DC_CHECK(dst.is_contiguous(), "fill_: destination must be contiguous");
  DC_OPS_DISPATCH(dst.device(), fill, dst, value);
}

Tensor zeros(const Shape& shape, DType dtype, Device device) { return full(shape, 0.0f, dtype, device); }

Tensor full(const Shape& shape, float value, DType dtype, Device device) {
  Tensor t = Tensor::empty(shape, dtype, device);
  fill_(t, value);
  return t;
}

Tensor concat(const std::vector<Tensor>& parts, int64_t dim) {
  DC_OP_SCOPE("concat");
  DC_CHECK(!parts.empty(), "concat: no tensors");
  const Tensor& first = parts.front();
  const int64_t d = first.normalize_dim(dim);
  Shape shape = first.shape();
  int64_t total = 0;
  for (const Tensor& p : parts) {
    DC_CHECK(p.dim() == first.dim() && p.dtype() == first.dtype() && p.device() == first.device(),
             "concat: " << p.describe() << " does not match " << first.describe());
    for (int64_t k = 0; k < p.dim(); ++k)
      DC_CHECK(k == d || p.size(k) == first.size(k), "concat: shapes differ outside dim " << d);
    total += p.size(d);
  }
  shape[d] = total;
  // The output keeps the first part's layout, so channels-last parts concatenate
  // along channels without a layout change (each part lands as a strided copy).
  Tensor out = empty_like_layout(shape, first, first.dtype());
  int64_t at = 0;
  for (const Tensor& p : parts) {
    Tensor dst = out.slice(d, at, at + p.size(d));
    at += p.size(d);
    DC_OPS_DISPATCH(out.device(), copy_strided, dst, p);
  }
  return out;
}

std::vector<float> to_f32_vector(const Tensor& x) {
  Tensor c = contiguous(cast(to_device(x, Device::cpu()), DType::kF32));
  const float* p = c.data<float>();
  return std::vector<float>(p, p + c.numel());
}

}  // namespace dc::ops
