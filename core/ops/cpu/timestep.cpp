// CPU reference: diffusers get_timestep_embedding (flip_sin_to_cos, no shift)
// in f32 with diffusers' operation order, on values rounded like FLUX's
// `timestep.to(dtype) * 1000`.
#include <cmath>

#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/ops/cpu/dtype_round.h"

namespace dc::ops::cpu {

void timestep_embedding(const Tensor& out, const Tensor& values, float scale) {
  const int64_t batch = out.size(0), channels = out.size(1), half = channels / 2;
  const DType dtype = out.dtype();
  const float* v = values.data<float>();
  const bool broadcast = values.size(0) == 1;
  // exponent = (-ln(max_period) · i) / half in f32, then exp.
  const float neg_log_period = static_cast<float>(-std::log(10000.0));
  F32Out o(out);
  for (int64_t r = 0; r < batch; ++r) {
    const float t = round_to(dtype, round_to(dtype, v[broadcast ? 0 : r]) * scale);
    for (int64_t i = 0; i < half; ++i) {
      const float freq = std::exp((neg_log_period * static_cast<float>(i)) / static_cast<float>(half));
      const float arg = t * freq;
      o[r * channels + i] = std::cos(arg);  // flip_sin_to_cos: cos first
      o[r * channels + half + i] = std::sin(arg);
    }
    if (channels % 2 != 0) o[r * channels + channels - 1] = 0.0f;  // diffusers' zero pad
  }
  o.commit();
}

}  // namespace dc::ops::cpu
