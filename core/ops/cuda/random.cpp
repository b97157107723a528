// CUDA backend: random (Philox-4x32-10, same stream as the CPU reference;
// definition in gpu/cuda/random/philox.h).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/random/random.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void random(const Tensor& out, uint64_t seed, bool normal) {
  if (out.numel() == 0) return;
  if (!out.is_contiguous()) throw_error(Error::internal("random: output must be contiguous"));
  gpu::RandomParams p;
  p.out = out.data_ptr();
  p.dtype = activation_type(out.dtype(), "random");
  p.count = out.numel();
  p.seed = seed;
  p.normal = normal;
  p.stream = stream();
  check(gpu::random_fill(p), "random");
}

}  // namespace dc::ops::cuda
