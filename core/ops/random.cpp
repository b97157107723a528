#include "core/ops/random.h"

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/copy.h"

namespace dc::ops {
namespace {

Tensor draw(const Shape& shape, uint64_t seed, DType dtype, Device device, bool normal) {
  DC_OP_SCOPE("draw");
  // Drawn in f32 so a seed means the same numbers in every dtype, then cast.
  Tensor out = Tensor::empty(shape, DType::kF32, device);
  DC_OPS_DISPATCH(device, random, out, seed, normal);
  return cast(out, dtype);
}

}  // namespace

Tensor randn(const Shape& shape, uint64_t seed, DType dtype, Device device) {
  return draw(shape, seed, dtype, device, true);
}

Tensor rand(const Shape& shape, uint64_t seed, DType dtype, Device device) {
  return draw(shape, seed, dtype, device, false);
}

}  // namespace dc::ops
