#include "core/ops/embedding.h"

#include "core/ops/backend.h"
#include "core/ops/op_util.h"
#include "core/ops/profile.h"

namespace dc::ops {

Tensor embedding(const Tensor& table, const Tensor& ids) {
  DC_OP_SCOPE("embedding");
  detail::check_defined(table, "embedding", "table");
  detail::check_defined(ids, "embedding", "ids");
  detail::check_activation_dtype(table, "embedding");
  DC_CHECK(table.dim() == 2, "embedding: table must be [V, D], got " << table.describe());
  DC_CHECK(ids.dtype() == DType::kI64 || ids.dtype() == DType::kI32,
           "embedding: ids must be i64 or i32, got " << ids.describe());
  const int64_t vocab = table.size(0), dim = table.size(1);

  // Range check on the host: a bad id would read outside the table on the device.
  const Tensor host_ids = contiguous(cast(to_device(ids, Device::cpu()), DType::kI64));
  const int64_t* id = host_ids.data<int64_t>();
  for (int64_t i = 0; i < host_ids.numel(); ++i)
    DC_CHECK(id[i] >= 0 && id[i] < vocab,
             "embedding: id " << id[i] << " at position " << i << " is outside the table [0, " << vocab << ")");

  Shape out_shape = ids.shape();
  out_shape.push_back(dim);
  Tensor out = Tensor::empty(out_shape, table.dtype(), table.device());
  if (out.numel() == 0) return out;
  // The host copy is already i64 and contiguous (CUDA has no integer casts); reuse device ids when they are too.
  const bool reuse = ids.device() == table.device() && ids.dtype() == DType::kI64;
  const Tensor device_ids = reuse ? contiguous(ids) : to_device(host_ids, table.device());
  DC_OPS_DISPATCH(table.device(), embedding, out.view({host_ids.numel(), dim}), contiguous(table),
                  device_ids.view({host_ids.numel()}));
  return out;
}

}  // namespace dc::ops
