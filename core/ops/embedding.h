// Table lookup (torch.nn.Embedding): out[..., :] = table[ids[...], :].
#pragma once

#include "core/tensor/tensor.h"

namespace dc::ops {

// table [V, D] (any float dtype), ids i64 or i32 of any shape on any device
// -> [ids.shape..., D] in the table's dtype and device. An id outside [0, V)
// is an error (checked on the host before anything is launched).
Tensor embedding(const Tensor& table, const Tensor& ids);

}  // namespace dc::ops
