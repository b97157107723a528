// Where the image lands in the target: fit, 1:1 or a zoom factor, plus a pan.
// The same mapping feeds the shader's push constants and the tests' CPU reference.
//
//   ViewMapping m = map_view({ViewMode::kZoom, 2.0f, 10.0f, -4.0f}, 640, 480, 800, 600);
//   // target pixel centre (x + 0.5, y + 0.5) shows source point ((x + 0.5 - m.offset_x) * m.inv_scale, ...)
#pragma once

#include <cstdint>

#include "gpu/vulkan/common/result.h"

namespace dc::gpu::vulkan {

enum class ViewMode {
  kFit,       // the whole image, as large as the target allows, centred (scales up and down)
  kOneToOne,  // one image pixel per target pixel, centred on whole pixels
  kZoom,      // `zoom` target pixels per image pixel, centred on whole pixels
};

struct ViewTransform {
  ViewMode mode = ViewMode::kFit;
  float zoom = 1.0f;  // kZoom only; > 0
  float pan_x = 0.0f;  // target pixels the image moves right/down from the centred position
  float pan_y = 0.0f;
};

struct ViewMapping {
  float scale = 1.0f;      // target pixels per source pixel
  float inv_scale = 1.0f;  // source pixels per target pixel (what the shader multiplies by)
  float offset_x = 0.0f;   // target position of the source's top-left corner
  float offset_y = 0.0f;
};

// Non-finite or non-positive zoom, non-finite pan: invalid_argument.
Status validate(const ViewTransform& view);

// The mapping for a source of source_width x source_height pixels shown in a target of
// target_width x target_height. 1:1 and zoom centre with floor() so that, for whole zoom
// factors and whole pans, texel edges fall on pixel edges and nearest sampling is exact.
ViewMapping map_view(const ViewTransform& view, uint32_t source_width, uint32_t source_height,
                     uint32_t target_width, uint32_t target_height);

}  // namespace dc::gpu::vulkan
