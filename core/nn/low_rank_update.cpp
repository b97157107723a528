#include "core/nn/low_rank_update.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/gemm.h"

namespace dc::nn {
namespace {

constexpr int64_t kBlockElements = int64_t{4} << 20;  // f32 elements per temporary (16 MiB)

}  // namespace

void add_low_rank(Module& root, const Parameter& weight, int64_t row, const Tensor& up, const Tensor& down,
                  float factor) {
  const Tensor w = root.writable_parameter(weight);  // [N, K]
  DC_CHECK(w.dim() == 2 && up.dim() == 2 && down.dim() == 2 && up.size(1) == down.size(0) &&
               down.size(1) == w.size(1) && row >= 0 && row + up.size(0) <= w.size(0),
           "add_low_rank: up " << up.describe() << " · down " << down.describe() << " at row " << row
                               << " does not fit '" << weight.key() << "' " << w.describe());
  const Device device = w.device();
  auto f32_on_device = [&](const Tensor& t) {
    return ops::contiguous(ops::to_device(ops::cast(t, DType::kF32), device));
  };
  const Tensor a = f32_on_device(down);                    // [r, K]
  const Tensor b = ops::scale(f32_on_device(up), factor);  // [n, r]
  const int64_t n = up.size(0), block = std::max<int64_t>(1, kBlockElements / std::max<int64_t>(1, w.size(1)));
  for (int64_t i = 0; i < n; i += block) {
    const int64_t end = std::min(n, i + block);
    const Tensor rows = w.slice(0, row + i, row + end);                                       // [b, K] view of W
    const Tensor sum = ops::add(ops::cast(rows, DType::kF32), ops::matmul(b.slice(0, i, end), a));  // [b, K] f32
    ops::copy_(rows, sum);  // rounds once into W's dtype
  }
}

}  // namespace dc::nn
