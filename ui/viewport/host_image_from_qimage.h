// A QImage as the gpu/vulkan presenter's host upload: both Vulkan viewport paths
// (window surface and offscreen readback) hand images over the same way.
// Only with gpu/vulkan (DC_UI_HAVE_VULKAN).
#pragma once

#ifdef DC_UI_HAVE_VULKAN

#include <QImage>

#include "gpu/vulkan/present/host_image.h"

namespace dc::ui {

// `rgb888` must be Format_RGB888 and outlive the upload (the presenter reads its rows).
inline gpu::vulkan::HostImage host_image_from(const QImage& rgb888) {
  gpu::vulkan::HostImage host;
  host.data = rgb888.constBits();
  host.width = static_cast<uint32_t>(rgb888.width());
  host.height = static_cast<uint32_t>(rgb888.height());
  host.format = gpu::vulkan::PixelFormat::kRgb8;
  host.layout = gpu::vulkan::PixelLayout::kInterleaved;
  host.row_stride = static_cast<size_t>(rgb888.bytesPerLine());
  return host;
}

}  // namespace dc::ui

#endif
