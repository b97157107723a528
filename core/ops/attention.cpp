#include "core/ops/attention.h"

#include <cmath>

#include "core/ops/backend.h"
#include "core/ops/op_util.h"
#include "core/ops/profile.h"

namespace dc::ops {
namespace {

// A [B, L, H, D] view the backends can index: unit stride along D, q's dtype.
Tensor token_major_operand(const Tensor& t, DType dtype) {
  Tensor c = cast(t, dtype);  // a cast is a new contiguous tensor
  if (c.stride(3) != 1 && c.size(3) > 1) c = contiguous(c);
  for (int64_t d = 0; d < 3; ++d)
    if (c.stride(d) < 0) return contiguous(c);
  return c;
}

// The bias as the f32 [B, H, Lq, Lk] view the backends read (broadcast dims keep stride 0).
Tensor prepare_bias(const Tensor& bias, const Tensor& q, const Shape& full) {
  if (!bias.defined()) return bias;
  detail::check_same_device(bias, q, "attention");
  DC_CHECK(bias.dim() <= 4, "attention: bias " << bias.describe() << " has more than 4 dims");
  const int64_t lead = 4 - bias.dim();
  for (int64_t d = 0; d < bias.dim(); ++d)
    DC_CHECK(bias.size(d) == 1 || bias.size(d) == full[d + lead],
             "attention: bias " << bias.describe() << " does not broadcast to [B, H, Lq, Lk] = "
                                << shape_to_string(full));
  DC_CHECK(dtype_is_float(bias.dtype()), "attention: bias must be a float tensor, got " << bias.describe());
  Tensor b = cast(bias, DType::kF32);
  for (int64_t d = 0; d < b.dim(); ++d)
    if (b.stride(d) < 0) b = contiguous(b);
  return b.expand(full);
}

// The key mask as u8 [B, Lk] contiguous (nonzero = attend).
Tensor prepare_key_mask(const Tensor& mask, const Tensor& q, int64_t batch, int64_t keys) {
  if (!mask.defined()) return mask;
  detail::check_same_device(mask, q, "attention");
  DC_CHECK(mask.dim() == 2 && (mask.size(0) == batch || mask.size(0) == 1) && mask.size(1) == keys,
           "attention: key_mask " << mask.describe() << " is not [B, Lk] = [" << batch << ", " << keys << "]");
  const DType d = mask.dtype();
  DC_CHECK(d == DType::kBool || d == DType::kU8 || d == DType::kI8 || d == DType::kI16 || d == DType::kI32 ||
               d == DType::kI64,
           "attention: key_mask must be bool or integer (0 = padding), got " << mask.describe());
  Tensor u8;
  if (d == DType::kU8) {
    u8 = mask;
  } else if (d == DType::kBool) {  // one byte, 0 or 1: the same bits as u8
    const Tensor c = contiguous(mask);
    u8 = Tensor::from_storage(c.storage(), c.shape(), DType::kU8, c.offset());
  } else {
    // Integer masks (tokenizer attention_mask, i64) become 0/1 bytes on the host;
    // on CUDA that is a synchronizing round trip, so models should pass u8 or bool.
    const std::vector<float> values = to_f32_vector(mask);
    Tensor host = Tensor::empty(mask.shape(), DType::kU8);
    for (size_t i = 0; i < values.size(); ++i) host.data<uint8_t>()[i] = values[i] != 0.0f;
    u8 = to_device(host, mask.device());
  }
  return contiguous(u8.expand({batch, keys}));
}

}  // namespace

Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v, const AttentionOptions& options) {
  DC_OP_SCOPE("attention");
  detail::check_activation_dtype(q, "attention");
  DC_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4,
           "attention: q, k, v must be [B, L, H, D], got " << q.describe() << ", " << k.describe() << ", "
                                                          << v.describe());
  detail::check_same_device(q, k, "attention");
  detail::check_same_device(q, v, "attention");
  detail::check_activation_dtype(k, "attention");
  detail::check_activation_dtype(v, "attention");
  const int64_t batch = q.size(0), lq = q.size(1), heads = q.size(2), head_dim = q.size(3), lk = k.size(1);
  DC_CHECK(k.shape() == v.shape(), "attention: k " << k.describe() << " and v " << v.describe() << " differ");
  DC_CHECK(k.size(0) == batch && k.size(2) == heads && k.size(3) == head_dim,
           "attention: k/v " << k.describe() << " do not match q " << q.describe()
                             << " in batch, heads or head dim (grouped-query attention is not supported)");
  DC_CHECK(head_dim > 0, "attention: empty head dim in " << q.describe());
  DC_CHECK(!options.causal || lq == lk,
           "attention: causal masking needs Lq == Lk, got " << lq << " queries and " << lk << " keys");
  const float scale = options.scale != 0.0f ? options.scale : 1.0f / std::sqrt(static_cast<float>(head_dim));
  DC_CHECK(std::isfinite(scale), "attention: scale " << options.scale << " is not finite");

  const Tensor qc = token_major_operand(q, q.dtype());
  const Tensor kc = token_major_operand(k, q.dtype());
  const Tensor vc = token_major_operand(v, q.dtype());
  const Tensor bias = prepare_bias(options.bias, q, {batch, heads, lq, lk});
  const Tensor key_mask = prepare_key_mask(options.key_mask, q, batch, lk);
  Tensor out = Tensor::empty({batch, lq, heads, head_dim}, q.dtype(), q.device());
  if (out.numel() == 0) return out;
  DC_OPS_DISPATCH(q.device(), attention, out, qc, kc, vc, scale, options.causal, bias, key_mask);
  return out;
}

}  // namespace dc::ops
