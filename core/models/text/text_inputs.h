// Input checks shared by the text encoders' forward(): token ids and the
// padding mask as transformers accepts them. Both throw ErrorException
// (invalid_argument) naming the model and the input.
#pragma once

#include <string_view>

#include "core/tensor/tensor.h"

namespace dc::models::text {

// input_ids [B, L] (B, L ≥ 1) of an integer dtype on any device -> contiguous
// CPU i64 (the ids are tiny; pooling and range checks read them on the host).
Tensor token_ids_cpu(const Tensor& input_ids, std::string_view model);

// attention_mask [B, L] (bool, integer or float; nonzero = attend) -> u8 on
// `device`, the key_mask ops::attention takes; undefined in, undefined out.
Tensor key_mask_on(const Tensor& attention_mask, int64_t batch, int64_t length, Device device,
                   std::string_view model);

}  // namespace dc::models::text
