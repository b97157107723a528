// The image the preview samples, and how frames get into it: a copy from a buffer
// (the host staging buffer or an interop buffer CUDA wrote) recorded at the start of
// a frame. The device image is re-created when a frame of another size or format arrives.
//
//   DC_VK_TRY(bool recreated, source.ensure(device, w, h, VK_FORMAT_R32G32B32A32_SFLOAT));
//   if (recreated) pipeline.bind_source(source.view());
//   source.record_copy(cmd, buffer, /*from_external=*/false, queue_family);
#pragma once

#include <vulkan/vulkan.h>

#include <optional>

#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"
#include "gpu/vulkan/device/memory.h"
#include "gpu/vulkan/present/host_image.h"

namespace dc::gpu::vulkan {

class SourceImage {
 public:
  // Makes the device image width x height in `format`; true when a new image was made
  // (its view must be re-bound; contents are undefined until the next copy).
  // Call only while no frame using the image is in flight.
  Result<bool> ensure(const Device& device, uint32_t width, uint32_t height, VkFormat format);

  // Packs `image` into the host staging buffer (grown as needed) for the next record_copy.
  Status stage(const Device& device, const HostImage& image);
  const Buffer& staging() const { return staging_; }

  // Records buffer -> image (tightly packed RGBA rows) and the barriers around it. With
  // `from_external`, the buffer is acquired from VK_QUEUE_FAMILY_EXTERNAL (written by CUDA)
  // and released back after the copy.
  void record_copy(VkCommandBuffer cmd, VkBuffer buffer, bool from_external, uint32_t queue_family);

  bool has_content() const { return has_content_; }
  VkImageView view() const { return image_ ? image_->view() : VK_NULL_HANDLE; }
  uint32_t width() const { return image_ ? image_->width() : 0; }
  uint32_t height() const { return image_ ? image_->height() : 0; }

 private:
  std::optional<Image> image_;
  Buffer staging_;
  bool has_content_ = false;
};

}  // namespace dc::gpu::vulkan
