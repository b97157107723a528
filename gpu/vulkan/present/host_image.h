// A frame in host memory, as the engine or a file reader has it, and its packing
// into the RGBA layout the device image uses (the CPU half of the host-upload path).
//
//   HostImage img;                          // a [3, H, W] f32 tensor in [-1, 1] from the pipeline:
//   img.data = t.data(); img.width = W; img.height = H;
//   img.format = PixelFormat::kRgb32F; img.layout = PixelLayout::kPlanar;
//   presenter->set_tone_map({.black = -1.0f, .white = 1.0f});
//   presenter->upload(img);
#pragma once

#include <vulkan/vulkan.h>

#include <cstddef>
#include <cstdint>

#include "gpu/vulkan/common/result.h"

namespace dc::gpu::vulkan {

enum class PixelFormat {
  kRgba32F,  // float channels (any range; the tone map's black/white levels map it)
  kRgb32F,
  kRgba8,  // unsigned bytes, 0..255 shown as 0..1
  kRgb8,
};

enum class PixelLayout {
  kInterleaved,  // RGBRGB... per row (HWC)
  kPlanar,       // all R, then all G, then all B (then A): CHW, as the engine's [3, H, W] tensors
};

struct HostImage {
  const void* data = nullptr;
  uint32_t width = 0;
  uint32_t height = 0;
  PixelFormat format = PixelFormat::kRgba8;
  PixelLayout layout = PixelLayout::kInterleaved;
  size_t row_stride = 0;    // bytes from one row to the next; 0: tightly packed
  size_t plane_stride = 0;  // planar only: bytes from one plane to the next; 0: row stride * height
};

int channel_count(PixelFormat format);
size_t channel_bytes(PixelFormat format);
bool is_float(PixelFormat format);
const char* pixel_format_name(PixelFormat format);

// The device image format a host format is stored in: RGBA f32 or RGBA u8 (UNORM).
VkFormat device_format(PixelFormat format);
size_t device_pixel_bytes(PixelFormat format);  // 16 or 4

// Null data, zero size, strides too small for the width/height: invalid_argument with the numbers.
// Sizes beyond the device's limit are the presenter's check (it knows the device).
Status validate(const HostImage& image);

// Writes `image` as tightly packed RGBA rows of device_format(image.format) into `dst`
// (width * height * device_pixel_bytes bytes); missing alpha becomes opaque.
void pack_rgba(const HostImage& image, void* dst);

}  // namespace dc::gpu::vulkan
