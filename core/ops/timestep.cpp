#include "core/ops/timestep.h"

#include "core/ops/backend.h"
#include "core/ops/op_util.h"
#include "core/ops/profile.h"

namespace dc::ops {

Tensor timestep_embedding(const Tensor& values, int64_t batch, int64_t channels, float scale, DType dtype) {
  DC_OP_SCOPE("timestep_embedding");
  detail::check_defined(values, "timestep_embedding", "values");
  const DType vt = values.dtype();
  DC_CHECK(dtype_is_float(vt) || vt == DType::kI64 || vt == DType::kI32,
           "timestep_embedding: values must be float or integer, got " << values.describe());
  DC_CHECK(values.dim() == 1 && (values.size(0) == batch || values.size(0) == 1),
           "timestep_embedding: values " << values.describe() << " is not [" << batch << "] (or [1])");
  DC_CHECK(batch >= 1 && channels >= 1,
           "timestep_embedding: batch " << batch << " and channels " << channels << " must be positive");
  DC_CHECK(dtype == DType::kF32 || dtype == DType::kBF16 || dtype == DType::kF16,
           "timestep_embedding: unsupported dtype " << dtype_name(dtype) << " (f32, bf16, f16 are supported)");
  const Tensor v = contiguous(cast(values, DType::kF32));
  Tensor out = Tensor::empty({batch, channels}, dtype, values.device());
  DC_OPS_DISPATCH(values.device(), timestep_embedding, out, v, scale);
  return out;
}

}  // namespace dc::ops
