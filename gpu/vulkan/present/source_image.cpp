#include "gpu/vulkan/present/source_image.h"

namespace dc::gpu::vulkan {

Result<bool> SourceImage::ensure(const Device& device, uint32_t width, uint32_t height, VkFormat format) {
  if (image_ && image_->width() == width && image_->height() == height && image_->format() == format) return false;
  image_.reset();
  has_content_ = false;
  DC_VK_TRY(Image image, Image::create(device, {width, height, format,
                                                VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_SAMPLED_BIT}));
  image_ = std::move(image);
  return true;
}

Status SourceImage::stage(const Device& device, const HostImage& image) {
  const VkDeviceSize bytes =
      static_cast<VkDeviceSize>(image.width) * image.height * device_pixel_bytes(image.format);
  if (!staging_.get() || staging_.size() < bytes) {
    staging_ = Buffer();  // free the old one first: staging buffers of large frames are big
    DC_VK_TRY(staging_, Buffer::create(device, {bytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, kHostVisibleCoherent}));
  }
  pack_rgba(image, staging_.mapped());
  return {};
}

void SourceImage::record_copy(VkCommandBuffer cmd, VkBuffer buffer, bool from_external, uint32_t queue_family) {
  VkBufferMemoryBarrier acquire{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
  acquire.srcAccessMask = 0;
  acquire.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  acquire.srcQueueFamilyIndex = VK_QUEUE_FAMILY_EXTERNAL;
  acquire.dstQueueFamilyIndex = queue_family;
  acquire.buffer = buffer;
  acquire.size = VK_WHOLE_SIZE;

  // The previous frame sampled the image (or it is new): discard and make it a copy target.
  VkImageMemoryBarrier to_transfer{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  to_transfer.srcAccessMask = 0;
  to_transfer.dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  to_transfer.oldLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  to_transfer.newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
  to_transfer.srcQueueFamilyIndex = to_transfer.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  to_transfer.image = image_->get();
  to_transfer.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                       VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, from_external ? 1 : 0, &acquire, 1,
                       &to_transfer);

  VkBufferImageCopy region{};
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  region.imageExtent = {image_->width(), image_->height(), 1};
  vkCmdCopyBufferToImage(cmd, buffer, image_->get(), VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);

  VkImageMemoryBarrier to_shader = to_transfer;
  to_shader.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  to_shader.dstAccessMask = VK_ACCESS_SHADER_READ_BIT;
  to_shader.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
  to_shader.newLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
  VkBufferMemoryBarrier release = acquire;
  release.srcAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  release.dstAccessMask = 0;
  release.srcQueueFamilyIndex = queue_family;
  release.dstQueueFamilyIndex = VK_QUEUE_FAMILY_EXTERNAL;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                       VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0, 0, nullptr,
                       from_external ? 1 : 0, &release, 1, &to_shader);
  has_content_ = true;
}

}  // namespace dc::gpu::vulkan
