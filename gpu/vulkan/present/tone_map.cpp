#include "gpu/vulkan/present/tone_map.h"

#include <cmath>
#include <string>

namespace dc::gpu::vulkan {
namespace {

float srgb_to_linear(float c) {
  return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

}  // namespace

Status validate(const ToneMap& tone) {
  if (!std::isfinite(tone.black) || !std::isfinite(tone.white) || !std::isfinite(tone.exposure))
    return Error::invalid_argument("tone map levels and exposure must be finite");
  if (tone.white == tone.black)
    return Error::invalid_argument("tone map white level equals black level (" + std::to_string(tone.black) + ")");
  return {};
}

shader::PreviewParams make_preview_params(const FrameLook& look) {
  shader::PreviewParams p{};
  p.offset_x = look.view.offset_x;
  p.offset_y = look.view.offset_y;
  p.inv_scale = look.view.inv_scale;
  p.source_width = static_cast<float>(look.source_width);
  p.source_height = static_cast<float>(look.source_height);
  p.black = look.tone.black;
  p.inv_range = static_cast<float>(1.0 / (static_cast<double>(look.tone.white) - look.tone.black));
  p.exposure_scale = std::exp2(look.tone.exposure);

  // Linear light is needed for exposure, the curve, linear input or an sRGB-format target;
  // otherwise sRGB-encoded input passes through untouched (exact for 8-bit images).
  const bool linear_input = look.tone.encoding == InputEncoding::kLinear;
  const bool needs_linear = linear_input || look.tone.exposure != 0.0f || look.tone.curve != ToneCurve::kClip ||
                            look.target_is_srgb_format;
  uint32_t flags = 0;
  if (look.has_source) flags |= DC_PREVIEW_HAS_SOURCE;
  if (look.filter == Filter::kLinear) flags |= DC_PREVIEW_LINEAR_FILTER;
  if (needs_linear && !linear_input) flags |= DC_PREVIEW_DECODE_SRGB;
  if (look.tone.curve == ToneCurve::kReinhard) flags |= DC_PREVIEW_REINHARD;
  if (needs_linear && !look.target_is_srgb_format) flags |= DC_PREVIEW_ENCODE_SRGB;
  p.flags = flags;

  // The background is given sRGB-encoded; an sRGB-format target wants it linear.
  for (int c = 0; c < 3; ++c) {
    const float v = look.background[c];
    const float shown = look.target_is_srgb_format ? srgb_to_linear(v) : v;
    (c == 0 ? p.background_r : c == 1 ? p.background_g : p.background_b) = shown;
  }
  return p;
}

}  // namespace dc::gpu::vulkan
