// CUDA backend: copy_strided, fill, binary, scale, activation, gated_activation.
#include <cstring>

#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "core/ops/op_util.h"
#include "gpu/cuda/elementwise/elementwise.h"

namespace dc::ops::cuda {
namespace {

using namespace cuda_detail;

// Same-dtype copies move raw words; this maps a dtype to a gpu type of its width.
gpu::DataType raw_type(DType t, const char* op) {
  switch (dtype_bits(t)) {
    case 8: return gpu::DataType::kU8;
    case 16: return gpu::DataType::kI16;
    case 32: return gpu::DataType::kI32;
    case 64: return gpu::DataType::kI64;
    default: break;
  }
  throw_error(Error::not_supported(std::string(op) + ": dtype " + std::string(dtype_name(t)) +
                                   " (sub-byte packing) cannot be copied element-wise on CUDA"));
}

// Bit pattern of `value` stored as one element of `t`, as the CPU reference's store_element.
uint64_t encode_value(DType t, float value) {
  const double v = value;
  switch (t) {
    case DType::kF32: {
      uint32_t u;
      std::memcpy(&u, &value, 4);
      return u;
    }
    case DType::kF64: {
      uint64_t u;
      std::memcpy(&u, &v, 8);
      return u;
    }
    case DType::kBF16: return f32_to_bf16(value);
    case DType::kF16: return f32_to_f16(value);
    case DType::kF8E4M3: return f32_to_f8e4m3(value);
    case DType::kI64: return static_cast<uint64_t>(static_cast<int64_t>(v));
    case DType::kI32: return static_cast<uint32_t>(static_cast<int32_t>(v));
    case DType::kI16: return static_cast<uint16_t>(static_cast<int16_t>(v));
    case DType::kI8: return static_cast<uint8_t>(static_cast<int8_t>(v));
    case DType::kU8: return static_cast<uint8_t>(static_cast<int64_t>(v));
    case DType::kBool: return v != 0 ? 1 : 0;
    case DType::kI4: break;
  }
  throw_error(Error::not_supported("fill: i4 tensors cannot be filled element-wise on CUDA"));
}

void pointwise(const Tensor& out, const Tensor& x, const Tensor& gate, gpu::ActivationKind act, float s,
               const char* op) {
  gpu::PointwiseParams p;
  p.out = out.data_ptr();
  p.x = x.data_ptr();
  p.gate = ptr_or_null(gate);
  p.dtype = activation_type(out.dtype(), op);
  p.count = out.numel();
  p.act = act;
  p.scale = s;
  p.stream = stream();
  check(gpu::pointwise(p), op);
}

}  // namespace

void copy_strided(const Tensor& dst, const Tensor& src) {
  if (dst.numel() == 0) return;
  if (dst.dim() > gpu::kMaxDims)
    throw_error(Error::not_supported("copy_strided: rank " + std::to_string(dst.dim()) + " > 8 on CUDA"));
  if (src.shape() != dst.shape())
    throw_error(Error::internal("copy_strided: " + src.describe() + " does not match " + dst.describe()));
  gpu::CopyParams p;
  if (dst.dtype() == src.dtype()) {
    p.dst_type = p.src_type = raw_type(dst.dtype(), "copy_strided");
  } else {
    p.dst_type = activation_type(dst.dtype(), "copy_strided");
    p.src_type = activation_type(src.dtype(), "copy_strided");
  }
  p.dst = dst.data_ptr();
  p.src = src.data_ptr();
  p.ndim = static_cast<int>(dst.dim());
  for (int d = 0; d < p.ndim; ++d) {
    p.shape[d] = dst.size(d);
    p.dst_strides[d] = dst.stride(d);
    p.src_strides[d] = src.stride(d);
  }
  p.stream = stream();
  check(gpu::copy_strided(p), "copy_strided");
}

void fill(const Tensor& dst, float value) {
  if (dst.numel() == 0) return;
  gpu::FillParams p;
  p.dst = dst.data_ptr();
  p.count = dst.numel();
  p.elem_bytes = dtype_bits(dst.dtype()) / 8;
  p.pattern = encode_value(dst.dtype(), value);
  p.stream = stream();
  check(gpu::fill(p), "fill");
}

void binary(const Tensor& out, const Tensor& a, const Tensor& b, BinaryOp op) {
  if (out.numel() == 0) return;
  if (a.dim() > gpu::kMaxDims)
    throw_error(Error::not_supported("binary: rank " + std::to_string(a.dim()) + " > 8 on CUDA"));
  if (b.shape() != a.shape())
    throw_error(Error::internal("binary: b " + b.describe() + " is not expanded to " + a.describe()));
  gpu::BinaryParams p;
  p.out = out.data_ptr();
  p.a = a.data_ptr();
  p.b = b.data_ptr();
  p.dtype = activation_type(a.dtype(), "binary");
  p.op = op == BinaryOp::kAdd ? gpu::BinaryKind::kAdd : op == BinaryOp::kSub ? gpu::BinaryKind::kSub
                                                                              : gpu::BinaryKind::kMul;
  p.ndim = static_cast<int>(a.dim());
  for (int d = 0; d < p.ndim; ++d) {
    p.shape[d] = a.size(d);
    p.b_strides[d] = b.stride(d);
  }
  p.stream = stream();
  check(gpu::binary(p), "binary");
}

void scale(const Tensor& out, const Tensor& a, float s) {
  pointwise(out, a, Tensor(), gpu::ActivationKind::kIdentity, s, "scale");
}

void activation(const Tensor& out, const Tensor& x, Activation act) {
  pointwise(out, x, Tensor(), activation_kind(act), 1.0f, "activation");
}

void gated_activation(const Tensor& out, const Tensor& hidden, const Tensor& gate, Activation act) {
  // hidden and gate: row views with equal strides (the front-end's contract); out contiguous.
  const auto rv = detail::row_view(hidden);
  if (!rv || gate.strides() != hidden.strides() || !out.is_contiguous())
    throw_error(Error::internal("gated_activation: operands are not row views of one layout"));
  if (out.numel() == 0) return;
  gpu::PointwiseParams p;
  p.out = out.data_ptr();
  p.x = hidden.data_ptr();
  p.gate = gate.data_ptr();
  p.dtype = activation_type(out.dtype(), "gated_activation");
  p.count = out.numel();
  p.cols = rv->cols;
  p.x_row_stride = p.gate_row_stride = rv->row_stride;
  p.act = activation_kind(act);
  p.stream = stream();
  check(gpu::pointwise(p), "gated_activation");
}

}  // namespace dc::ops::cuda
