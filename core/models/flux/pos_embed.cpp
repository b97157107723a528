#include "core/models/flux/pos_embed.h"

#include <cmath>
#include <numeric>

#include "core/base/assert.h"
#include "core/ops/copy.h"

namespace dc::models::flux {

Result<Tensor> position_ids_2d(const Tensor& ids, const std::string& name, int64_t n_axes) {
  const bool numeric = dtype_is_float(ids.dtype()) || ids.dtype() == DType::kI64 || ids.dtype() == DType::kI32;
  if (!ids.defined() || !numeric) {
    return Error::invalid_argument("input '" + name + "' must be a float or integer tensor, got " +
                                   (ids.defined() ? ids.describe() : std::string("nothing")));
  }
  if ((ids.dim() != 2 && ids.dim() != 3) || ids.size(-1) != n_axes || (ids.dim() == 3 && ids.size(0) < 1)) {
    return Error::invalid_argument("input '" + name + "' must be [L, " + std::to_string(n_axes) + "] (or [B, L, " +
                                   std::to_string(n_axes) + "]), one column per axes_dims_rope entry, got " +
                                   ids.describe());
  }
  // The batched form is deprecated in diffusers, which keeps ids[0].
  const Tensor two_d = ids.dim() == 3 ? ids.select(0, 0) : ids;
  return catch_errors([&] { return ops::contiguous(ops::cast(ops::to_device(two_d, Device::cpu()), DType::kF32)); });
}

FluxRope make_flux_rope(const Tensor& txt_ids, const Tensor& img_ids, const std::vector<int64_t>& axes_dims,
                        double theta, Device device) {
  const int64_t n_axes = static_cast<int64_t>(axes_dims.size());
  DC_ASSERT(txt_ids.dim() == 2 && img_ids.dim() == 2 && txt_ids.size(1) == n_axes && img_ids.size(1) == n_axes &&
            txt_ids.dtype() == DType::kF32 && img_ids.dtype() == DType::kF32 && !txt_ids.is_cuda() &&
            !img_ids.is_cuda() && txt_ids.is_contiguous() && img_ids.is_contiguous());
  const int64_t t = txt_ids.size(0), l = img_ids.size(0), rows = t + l;
  const int64_t dim = std::accumulate(axes_dims.begin(), axes_dims.end(), int64_t{0});

  // freqs_a[j] = 1 / theta^(2j / d_a), in f64 as FluxPosEmbed asks for on CPU/CUDA.
  std::vector<std::vector<double>> freqs(n_axes);
  for (int64_t a = 0; a < n_axes; ++a) {
    for (int64_t j = 0; j < axes_dims[a] / 2; ++j) {
      freqs[a].push_back(1.0 / std::pow(theta, static_cast<double>(2 * j) / static_cast<double>(axes_dims[a])));
    }
  }
  Tensor cos = Tensor::empty({rows, dim}, DType::kF32);
  Tensor sin = Tensor::empty({rows, dim}, DType::kF32);
  float* c = cos.data<float>();
  float* s = sin.data<float>();
  for (int64_t r = 0; r < rows; ++r) {
    const float* pos = r < t ? txt_ids.data<float>() + r * n_axes : img_ids.data<float>() + (r - t) * n_axes;
    int64_t col = 0;
    for (int64_t a = 0; a < n_axes; ++a) {
      for (double f : freqs[a]) {
        const double angle = static_cast<double>(pos[a]) * f;
        const float ca = static_cast<float>(std::cos(angle)), sa = static_cast<float>(std::sin(angle));
        c[r * dim + col] = c[r * dim + col + 1] = ca;
        s[r * dim + col] = s[r * dim + col + 1] = sa;
        col += 2;
      }
    }
  }
  return {ops::to_device(cos, device), ops::to_device(sin, device), t, l};
}

}  // namespace dc::models::flux
