// CUDA backend: timestep_embedding (gpu/cuda/fusions).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/fusions/fusions.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void timestep_embedding(const Tensor& out, const Tensor& values, float scale) {
  gpu::TimestepEmbeddingParams p;
  p.out = out.data_ptr();
  p.values = values.data<float>();
  p.dtype = activation_type(out.dtype(), "timestep_embedding");
  p.batch = out.size(0);
  p.channels = out.size(1);
  p.value_count = values.size(0);
  p.scale = scale;
  p.stream = stream();
  check(gpu::timestep_embedding(p), "timestep_embedding");
}

}  // namespace dc::ops::cuda
