// CPU reference: Philox-4x32-10 noise, bit-identical to the CUDA kernel
// (both use gpu/cuda/random/philox.h, a plain C++ header).
#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "gpu/cuda/random/philox.h"

namespace dc::ops::cpu {

void random(const Tensor& out, uint64_t seed, bool normal) {
  float* o = out.data<float>();
  const int64_t n = out.numel();
  const int64_t groups = (n + 3) / 4;
  parallel_for(0, groups, [&](int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; ++g) {
      float v[4];
      philox::draw4(seed, static_cast<uint64_t>(g), normal, v);
      for (int j = 0; j < 4 && g * 4 + j < n; ++j) o[g * 4 + j] = v[j];
    }
  }, 1024);
}

}  // namespace dc::ops::cpu
