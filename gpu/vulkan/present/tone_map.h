// How stored values become display values: levels (black/white), the input's encoding,
// exposure in stops and a tone curve, then the display's sRGB encoding. The defaults
// show sRGB-encoded images in [0, 1] (what diffusion decoders produce) unchanged.
//
//   presenter->set_tone_map({.black = -1.0f, .white = 1.0f});             // the engine's [-1, 1] frames
//   presenter->set_tone_map({.encoding = InputEncoding::kLinear, .exposure = 1.5f,
//                            .curve = ToneCurve::kReinhard});              // scene-linear HDR
#pragma once

#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/present/view_transform.h"
#include "gpu/vulkan/shaders/preview_params.h"

namespace dc::gpu::vulkan {

enum class InputEncoding {
  kSrgb,    // values are sRGB-encoded (display-referred): shown as they are unless exposure/curve apply
  kLinear,  // scene-linear light: encoded to sRGB for the display
};

enum class ToneCurve {
  kClip,      // clamp to [0, 1]
  kReinhard,  // c / (1 + c): compresses highlights instead of clipping them
};

enum class Filter {
  kNearest,  // the texel under the pixel centre: exact at 1:1 and whole zooms (the default)
  kLinear,   // bilinear between texel centres: smoother when fit shrinks or enlarges by odd factors
};

struct ToneMap {
  InputEncoding encoding = InputEncoding::kSrgb;
  float black = 0.0f;  // stored value shown as black
  float white = 1.0f;  // stored value shown as white
  float exposure = 0.0f;  // stops, applied in linear light
  ToneCurve curve = ToneCurve::kClip;
};

// Non-finite values or white == black: invalid_argument.
Status validate(const ToneMap& tone);

struct FrameLook {
  ViewMapping view;
  ToneMap tone;
  Filter filter = Filter::kNearest;
  float background[3] = {0.0f, 0.0f, 0.0f};  // sRGB-encoded display colour
  bool has_source = false;
  uint32_t source_width = 0;
  uint32_t source_height = 0;
  bool target_is_srgb_format = false;  // *_SRGB target: the hardware encodes, the shader writes linear
};

// The push constants for one draw (flags chosen so the default look is a plain copy).
shader::PreviewParams make_preview_params(const FrameLook& look);

}  // namespace dc::gpu::vulkan
