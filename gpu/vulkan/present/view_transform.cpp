#include "gpu/vulkan/present/view_transform.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace dc::gpu::vulkan {

Status validate(const ViewTransform& view) {
  if (view.mode == ViewMode::kZoom && !(std::isfinite(view.zoom) && view.zoom > 0.0f))
    return Error::invalid_argument("view zoom must be a positive finite factor, got " + std::to_string(view.zoom));
  if (!std::isfinite(view.pan_x) || !std::isfinite(view.pan_y))
    return Error::invalid_argument("view pan must be finite");
  return {};
}

ViewMapping map_view(const ViewTransform& view, uint32_t source_width, uint32_t source_height,
                     uint32_t target_width, uint32_t target_height) {
  ViewMapping m;
  if (source_width == 0 || source_height == 0 || target_width == 0 || target_height == 0) return m;
  const double sw = source_width, sh = source_height, tw = target_width, th = target_height;
  double scale = 1.0, offset_x = 0.0, offset_y = 0.0;
  switch (view.mode) {
    case ViewMode::kFit:
      scale = std::min(tw / sw, th / sh);
      offset_x = (tw - sw * scale) / 2.0;
      offset_y = (th - sh * scale) / 2.0;
      break;
    case ViewMode::kOneToOne:
    case ViewMode::kZoom:
      scale = view.mode == ViewMode::kZoom ? static_cast<double>(view.zoom) : 1.0;
      offset_x = std::floor((tw - sw * scale) / 2.0);
      offset_y = std::floor((th - sh * scale) / 2.0);
      break;
  }
  m.scale = static_cast<float>(scale);
  m.inv_scale = static_cast<float>(1.0 / scale);
  m.offset_x = static_cast<float>(offset_x + view.pan_x);
  m.offset_y = static_cast<float>(offset_y + view.pan_y);
  return m;
}

}  // namespace dc::gpu::vulkan
