// Push constants of the preview pass: ONE definition read by C++ (present/preview_pipeline.cpp,
// present/preview_params_builder.cpp) and GLSL (preview.frag), so the layout cannot drift.
// Scalars only: std430 and C++ then agree on every offset without alignment rules.
#ifndef DC_GPU_VULKAN_SHADERS_PREVIEW_PARAMS_H
#define DC_GPU_VULKAN_SHADERS_PREVIEW_PARAMS_H

#ifdef __cplusplus
#include <cstdint>
namespace dc::gpu::vulkan::shader {
using uint = uint32_t;
#endif

// PreviewParams::flags
#define DC_PREVIEW_HAS_SOURCE 1u     // an image is bound; otherwise only the background is drawn
#define DC_PREVIEW_LINEAR_FILTER 2u  // bilinear between texel centres; otherwise nearest texel
#define DC_PREVIEW_DECODE_SRGB 4u    // input is sRGB-encoded and a step below needs linear light
#define DC_PREVIEW_REINHARD 8u       // c / (1 + c) before clipping; otherwise clip to [0, 1]
#define DC_PREVIEW_ENCODE_SRGB 16u   // write sRGB-encoded values (UNORM target); else linear (SRGB target)

struct PreviewParams {
  // View: source pixel coordinate = (target pixel centre - offset) * inv_scale.
  float offset_x;
  float offset_y;
  float inv_scale;
  float source_width;
  float source_height;
  // Tone map: c' = (c - black) * inv_range, [sRGB decode], * exposure_scale, [Reinhard], clip, [sRGB encode].
  float black;
  float inv_range;
  float exposure_scale;
  // Outside the image, and under transparent pixels: in the target's encoding.
  float background_r;
  float background_g;
  float background_b;
  uint flags;
};

#ifdef __cplusplus
static_assert(sizeof(PreviewParams) == 48, "PreviewParams must match the GLSL std430 push-constant block");
}  // namespace dc::gpu::vulkan::shader
#endif

#endif  // DC_GPU_VULKAN_SHADERS_PREVIEW_PARAMS_H
