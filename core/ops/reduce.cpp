#include "core/ops/reduce.h"

#include <cmath>

#include "core/base/assert.h"
#include "core/ops/copy.h"

namespace dc::ops {

double relative_l2(const Tensor& a, const Tensor& b) {
  DC_CHECK(a.numel() == b.numel(), "relative_l2: " << a.describe() << " vs " << b.describe());
  const std::vector<float> av = to_f32_vector(a), bv = to_f32_vector(b);
  double num = 0, den = 0;
  for (size_t i = 0; i < av.size(); ++i) {
    const double d = static_cast<double>(av[i]) - bv[i];
    num += d * d;
    den += static_cast<double>(bv[i]) * bv[i];
  }
  if (den == 0) return num == 0 ? 0.0 : INFINITY;
  return std::sqrt(num / den);
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  DC_CHECK(a.numel() == b.numel(), "max_abs_diff: " << a.describe() << " vs " << b.describe());
  const std::vector<float> av = to_f32_vector(a), bv = to_f32_vector(b);
  double m = 0;
  for (size_t i = 0; i < av.size(); ++i) m = std::fmax(m, std::fabs(static_cast<double>(av[i]) - bv[i]));
  return m;
}

bool all_finite(const Tensor& x) {
  for (float v : to_f32_vector(x))
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace dc::ops
