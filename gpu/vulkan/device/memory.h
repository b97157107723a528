// Buffers and 2D images with their own memory (one allocation each: a presenter
// owns a handful, so no sub-allocator). Host-visible buffers stay mapped.
//
//   DC_VK_TRY(Buffer staging, Buffer::create(device, {bytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
//                                                     kHostVisibleCoherent}));
//   std::memcpy(staging.mapped(), pixels, bytes);
#pragma once

#include <vulkan/vulkan.h>

#include "gpu/vulkan/common/handles.h"
#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"

namespace dc::gpu::vulkan {

inline constexpr VkMemoryPropertyFlags kHostVisibleCoherent =
    VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;

struct BufferSpec {
  VkDeviceSize size = 0;
  VkBufferUsageFlags usage = 0;
  VkMemoryPropertyFlags required = 0;   // e.g. kHostVisibleCoherent for staging
  VkMemoryPropertyFlags preferred = 0;  // e.g. DEVICE_LOCAL
  bool exportable = false;              // memory exportable as an opaque POSIX fd (CUDA import)
};

class Buffer {
 public:
  Buffer() = default;
  static Result<Buffer> create(const Device& device, const BufferSpec& spec);

  VkBuffer get() const { return buffer_.get(); }
  VkDeviceSize size() const { return size_; }
  void* mapped() const { return mapped_; }  // null unless the memory is host-visible
  VkDeviceMemory memory() const { return memory_.get(); }
  VkDeviceSize allocation_size() const { return allocation_size_; }
  uint32_t memory_type() const { return memory_type_; }
  bool dedicated() const { return dedicated_; }

 private:
  UniqueBuffer buffer_;
  UniqueMemory memory_;
  VkDeviceSize size_ = 0;
  VkDeviceSize allocation_size_ = 0;
  uint32_t memory_type_ = 0;
  bool dedicated_ = false;
  void* mapped_ = nullptr;
};

struct ImageSpec {
  uint32_t width = 0;
  uint32_t height = 0;
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkImageUsageFlags usage = 0;
};

// A device-local, optimally tiled 2D image (one mip, one layer) and a colour view of it.
class Image {
 public:
  Image() = default;
  static Result<Image> create(const Device& device, const ImageSpec& spec);

  VkImage get() const { return image_.get(); }
  VkImageView view() const { return view_.get(); }
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  VkFormat format() const { return format_; }

 private:
  UniqueImage image_;
  UniqueMemory memory_;
  UniqueImageView view_;
  uint32_t width_ = 0;
  uint32_t height_ = 0;
  VkFormat format_ = VK_FORMAT_UNDEFINED;
};

// The fd of exportable memory (a new fd each call; the receiver owns it, CUDA closes it on import).
Result<int> export_memory_fd(const Device& device, VkDeviceMemory memory);

}  // namespace dc::gpu::vulkan
