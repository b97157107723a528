#include "gpu/vulkan/present/host_image.h"

#include <cstring>
#include <string>

namespace dc::gpu::vulkan {

int channel_count(PixelFormat format) {
  return format == PixelFormat::kRgba32F || format == PixelFormat::kRgba8 ? 4 : 3;
}

size_t channel_bytes(PixelFormat format) { return is_float(format) ? 4 : 1; }

bool is_float(PixelFormat format) { return format == PixelFormat::kRgba32F || format == PixelFormat::kRgb32F; }

const char* pixel_format_name(PixelFormat format) {
  switch (format) {
    case PixelFormat::kRgba32F: return "RGBA f32";
    case PixelFormat::kRgb32F: return "RGB f32";
    case PixelFormat::kRgba8: return "RGBA u8";
    case PixelFormat::kRgb8: return "RGB u8";
  }
  return "?";
}

VkFormat device_format(PixelFormat format) {
  return is_float(format) ? VK_FORMAT_R32G32B32A32_SFLOAT : VK_FORMAT_R8G8B8A8_UNORM;
}

size_t device_pixel_bytes(PixelFormat format) { return 4 * channel_bytes(format); }

namespace {

// Bytes one row of one plane (planar) or of all channels (interleaved) needs.
size_t min_row_bytes(const HostImage& image) {
  const size_t per_pixel = channel_bytes(image.format) *
                           (image.layout == PixelLayout::kPlanar ? 1 : static_cast<size_t>(channel_count(image.format)));
  return per_pixel * image.width;
}

size_t row_stride(const HostImage& image) { return image.row_stride ? image.row_stride : min_row_bytes(image); }

size_t plane_stride(const HostImage& image) {
  return image.plane_stride ? image.plane_stride : row_stride(image) * image.height;
}

// One channel value as the device stores it (float stays float, byte stays byte).
template <class T>
void pack_typed(const HostImage& image, T* dst, T opaque) {
  const int channels = channel_count(image.format);
  const auto* base = static_cast<const uint8_t*>(image.data);
  const size_t rows = row_stride(image), planes = plane_stride(image);
  for (uint32_t y = 0; y < image.height; ++y) {
    T* out = dst + static_cast<size_t>(y) * image.width * 4;
    if (image.layout == PixelLayout::kInterleaved) {
      const T* in = reinterpret_cast<const T*>(base + y * rows);
      if (channels == 4) {
        std::memcpy(out, in, sizeof(T) * 4 * image.width);
        continue;
      }
      for (uint32_t x = 0; x < image.width; ++x) {
        out[4 * x + 0] = in[3 * x + 0];
        out[4 * x + 1] = in[3 * x + 1];
        out[4 * x + 2] = in[3 * x + 2];
        out[4 * x + 3] = opaque;
      }
    } else {
      for (int c = 0; c < 4; ++c) {
        if (c == channels) {
          for (uint32_t x = 0; x < image.width; ++x) out[4 * x + c] = opaque;
          continue;
        }
        const T* in = reinterpret_cast<const T*>(base + c * planes + y * rows);
        for (uint32_t x = 0; x < image.width; ++x) out[4 * x + c] = in[x];
      }
    }
  }
}

}  // namespace

Status validate(const HostImage& image) {
  const std::string what = std::string(pixel_format_name(image.format)) + " image of " +
                           std::to_string(image.width) + "x" + std::to_string(image.height) + " pixels";
  if (image.width == 0 || image.height == 0)
    return Error::invalid_argument(what + ": width and height must be positive");
  if (!image.data) return Error::invalid_argument(what + ": no pixel data (null pointer)");
  const size_t need = min_row_bytes(image);
  if (image.row_stride != 0 && image.row_stride < need)
    return Error::invalid_argument(what + ": row stride " + std::to_string(image.row_stride) +
                                   " bytes is smaller than one row (" + std::to_string(need) + " bytes)");
  if (image.row_stride % channel_bytes(image.format) != 0 || image.plane_stride % channel_bytes(image.format) != 0)
    return Error::invalid_argument(what + ": strides must be multiples of the channel size (" +
                                   std::to_string(channel_bytes(image.format)) + " bytes)");
  if (image.layout == PixelLayout::kPlanar && image.plane_stride != 0 &&
      image.plane_stride < row_stride(image) * (image.height - 1) + need)
    return Error::invalid_argument(what + ": plane stride " + std::to_string(image.plane_stride) +
                                   " bytes is smaller than one plane");
  if (image.layout == PixelLayout::kInterleaved && image.plane_stride != 0)
    return Error::invalid_argument(what + ": plane stride given for an interleaved image");
  return {};
}

void pack_rgba(const HostImage& image, void* dst) {
  if (is_float(image.format))
    pack_typed<float>(image, static_cast<float*>(dst), 1.0f);
  else
    pack_typed<uint8_t>(image, static_cast<uint8_t*>(dst), uint8_t{255});
}

}  // namespace dc::gpu::vulkan
