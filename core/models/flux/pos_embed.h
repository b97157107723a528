// FLUX's rotary position table (diffusers FluxPosEmbed + get_1d_rotary_pos_embed,
// transformer_flux.py / embeddings.py): for token l with position ids p[l, a] and
// axis a owning head dims [o_a, o_a + d_a),
//   angle[l, o_a + 2j] = angle[l, o_a + 2j + 1] = p[l, a] / theta^(2j / d_a)
// and the tables are cos(angle), sin(angle) as f32 [L, D], repeat-interleaved, as
// ops::rms_norm_rope takes them. Like diffusers, the angles are computed in f64 on
// the host (ids as f32, then exact in f64) and rounded to f32 once.
//
//   DC_TRY(FluxRope rope, make_flux_rope(img_ids, txt_ids, config.axes_dims_rope, theta, Device::cuda()));
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc::models::flux {

// The joint sequence is [text tokens, image tokens] (diffusers concatenates txt_ids
// then img_ids), so rows [0, txt_len) belong to the text stream.
struct FluxRope {
  Tensor cos;  // f32 [txt_len + img_len, D] on the model's device
  Tensor sin;  // f32 [txt_len + img_len, D]
  int64_t txt_len = 0;
  int64_t img_len = 0;

  Tensor txt_cos() const { return cos.slice(0, 0, txt_len); }
  Tensor txt_sin() const { return sin.slice(0, 0, txt_len); }
  Tensor img_cos() const { return cos.slice(0, txt_len, txt_len + img_len); }
  Tensor img_sin() const { return sin.slice(0, txt_len, txt_len + img_len); }
};

// Position ids as a 2-D [L, n_axes] f32 host tensor: accepts [L, n_axes] or the
// deprecated batched [B, L, n_axes] (diffusers keeps ids[0]), any float or integer
// dtype, any device. `name` ("img_ids") is used in the error.
Result<Tensor> position_ids_2d(const Tensor& ids, const std::string& name, int64_t n_axes);

// cos/sin tables for ids_txt [T, A] followed by ids_img [L, A] (2-D f32 host tensors,
// e.g. from position_ids_2d), moved to `device`.
FluxRope make_flux_rope(const Tensor& txt_ids, const Tensor& img_ids, const std::vector<int64_t>& axes_dims,
                        double theta, Device device);

}  // namespace dc::models::flux
