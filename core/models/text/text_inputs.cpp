#include "core/models/text/text_inputs.h"

#include "core/base/assert.h"
#include "core/ops/copy.h"

namespace dc::models::text {
namespace {

bool is_integer(DType t) {
  return t == DType::kI64 || t == DType::kI32 || t == DType::kI16 || t == DType::kI8 || t == DType::kU8;
}

}  // namespace

Tensor token_ids_cpu(const Tensor& input_ids, std::string_view model) {
  DC_CHECK(input_ids.defined(), model << ": input_ids is undefined");
  DC_CHECK(is_integer(input_ids.dtype()), model << ": input_ids must be integer token ids, got " << input_ids.describe());
  DC_CHECK(input_ids.dim() == 2 && input_ids.size(0) > 0 && input_ids.size(1) > 0,
           model << ": input_ids must be [batch, length], got " << input_ids.describe());
  return ops::contiguous(ops::cast(ops::to_device(input_ids, Device::cpu()), DType::kI64));
}

Tensor key_mask_on(const Tensor& attention_mask, int64_t batch, int64_t length, Device device,
                   std::string_view model) {
  if (!attention_mask.defined()) return {};
  DC_CHECK(attention_mask.dim() == 2 && attention_mask.size(0) == batch && attention_mask.size(1) == length,
           model << ": attention_mask must be [" << batch << ", " << length << "] like input_ids, got "
                 << attention_mask.describe());
  const DType t = attention_mask.dtype();
  DC_CHECK(is_integer(t) || t == DType::kBool || dtype_is_float(t),
           model << ": attention_mask must be bool, integer or float, got " << attention_mask.describe());
  // Normalized on the host to 0/1 bytes: a float mask of 1.0/0.0 means the same as an integer one.
  const std::vector<float> values = ops::to_f32_vector(attention_mask);
  Tensor mask = Tensor::empty({batch, length}, DType::kU8);
  uint8_t* m = mask.data<uint8_t>();
  for (size_t i = 0; i < values.size(); ++i) m[i] = values[i] != 0.0f ? 1 : 0;
  return ops::to_device(mask, device);
}

}  // namespace dc::models::text
