#include "core/pipeline/latent_preview.h"

#include <algorithm>
#include <vector>

#include "core/base/assert.h"
#include "core/ops/copy.h"

namespace dc::pipeline {

Tensor latent_preview(const Tensor& latent) {
  DC_CHECK(latent.dim() == 4 && latent.size(1) >= 1, "latent_preview: want [B, C, h, w], got " << latent.describe());
  const Tensor x = ops::contiguous(ops::cast(ops::to_device(latent, Device::cpu()), DType::kF32));
  const int64_t b = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3);
  Tensor out = Tensor::empty({b, 3, x.size(2), x.size(3)}, DType::kF32);
  const float* src = x.data<float>();
  float* dst = out.data<float>();
  for (int64_t n = 0; n < b; ++n) {
    for (int64_t rgb = 0; rgb < 3; ++rgb) {
      // Channel group [lo, hi) of this colour; with fewer than 3 channels groups repeat.
      const int64_t lo = c >= 3 ? rgb * c / 3 : rgb % c, hi = c >= 3 ? (rgb + 1) * c / 3 : lo + 1;
      float* plane = dst + (n * 3 + rgb) * hw;
      std::fill(plane, plane + hw, 0.0f);
      for (int64_t ch = lo; ch < hi; ++ch) {
        const float* s = src + (n * c + ch) * hw;
        for (int64_t i = 0; i < hw; ++i) plane[i] += s[i] / static_cast<float>(hi - lo);
      }
      const auto [mn, mx] = std::minmax_element(plane, plane + hw);
      const float lo_v = *mn, range = std::max(*mx - *mn, 1e-6f);
      for (int64_t i = 0; i < hw; ++i) plane[i] = (plane[i] - lo_v) / range * 2.0f - 1.0f;
    }
  }
  return out;
}

}  // namespace dc::pipeline
