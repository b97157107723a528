#version 450
// The preview: view mapping (fit / 1:1 / zoom + pan), nearest or bilinear sampling by
// texelFetch (so the CPU reference in tests/vulkan/reference_support.cpp can follow it
// exactly), tone map to the display and compositing over the background.
// `precise` keeps the coordinate and colour arithmetic free of fused multiply-adds, so the
// GPU and the CPU reference round the same way.
#extension GL_GOOGLE_include_directive : require
#include "preview_params.h"

layout(set = 0, binding = 0) uniform sampler2D source_image;
layout(push_constant) uniform PushConstants { PreviewParams p; };
layout(location = 0) out vec4 out_color;

vec4 fetch_clamped(ivec2 texel) {
  const ivec2 last = ivec2(int(p.source_width) - 1, int(p.source_height) - 1);
  return texelFetch(source_image, clamp(texel, ivec2(0), last), 0);
}

vec3 srgb_to_linear(vec3 c) {
  return mix(pow((c + 0.055) / 1.055, vec3(2.4)), c / 12.92, lessThanEqual(c, vec3(0.04045)));
}

vec3 linear_to_srgb(vec3 c) {
  return mix(1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, c * 12.92, lessThanEqual(c, vec3(0.0031308)));
}

void main() {
  const vec3 background = vec3(p.background_r, p.background_g, p.background_b);
  precise vec2 src = (gl_FragCoord.xy - vec2(p.offset_x, p.offset_y)) * p.inv_scale;
  if ((p.flags & DC_PREVIEW_HAS_SOURCE) == 0u || src.x < 0.0 || src.y < 0.0 || src.x >= p.source_width ||
      src.y >= p.source_height) {
    out_color = vec4(background, 1.0);
    return;
  }

  precise vec4 c;
  if ((p.flags & DC_PREVIEW_LINEAR_FILTER) != 0u) {
    precise vec2 q = src - 0.5;
    const vec2 base = floor(q);
    precise vec2 f = q - base;
    const ivec2 i = ivec2(base);
    const vec4 c00 = fetch_clamped(i), c10 = fetch_clamped(i + ivec2(1, 0));
    const vec4 c01 = fetch_clamped(i + ivec2(0, 1)), c11 = fetch_clamped(i + ivec2(1, 1));
    precise vec4 top = c00 * (1.0 - f.x) + c10 * f.x;
    precise vec4 bottom = c01 * (1.0 - f.x) + c11 * f.x;
    c = top * (1.0 - f.y) + bottom * f.y;
  } else {
    c = fetch_clamped(ivec2(floor(src)));
  }

  precise vec3 rgb = (c.rgb - p.black) * p.inv_range;
  if ((p.flags & DC_PREVIEW_DECODE_SRGB) != 0u) rgb = srgb_to_linear(clamp(rgb, 0.0, 1.0));
  rgb = rgb * p.exposure_scale;
  if ((p.flags & DC_PREVIEW_REINHARD) != 0u) rgb = rgb / (1.0 + max(rgb, vec3(0.0)));
  rgb = clamp(rgb, 0.0, 1.0);
  if ((p.flags & DC_PREVIEW_ENCODE_SRGB) != 0u) rgb = linear_to_srgb(rgb);
  const float alpha = clamp(c.a, 0.0, 1.0);
  precise vec3 shown = rgb * alpha + background * (1.0 - alpha);
  out_color = vec4(shown, 1.0);
}
