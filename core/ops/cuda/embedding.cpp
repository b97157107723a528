// CUDA backend: embedding gather (gpu/cuda/transformer).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/transformer/transformer.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void embedding(const Tensor& out, const Tensor& table, const Tensor& ids) {
  gpu::EmbeddingParams p;
  p.out = out.data_ptr();
  p.table = table.data_ptr();
  p.ids = ids.data<int64_t>();
  p.count = ids.numel();
  p.row_bytes = table.size(1) * dtype_bits(table.dtype()) / 8;
  p.stream = stream();
  check(gpu::embedding_gather(p), "embedding");
}

}  // namespace dc::ops::cuda
