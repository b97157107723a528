#include "gpu/vulkan/present/offscreen_target.h"

#include <cstring>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {

Result<std::unique_ptr<OffscreenTarget>> OffscreenTarget::create(const Device& device, VkRenderPass render_pass,
                                                                 uint32_t width, uint32_t height) {
  std::unique_ptr<OffscreenTarget> t(new OffscreenTarget());
  DC_VK_TRY(t->image_, Image::create(device, {width, height, kOffscreenFormat,
                                              VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT}));
  VkImageView view = t->image_.view();
  VkFramebufferCreateInfo info{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
  info.renderPass = render_pass;
  info.attachmentCount = 1;
  info.pAttachments = &view;
  info.width = width;
  info.height = height;
  info.layers = 1;
  VkFramebuffer framebuffer = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateFramebuffer(device.get(), &info, nullptr, &framebuffer), "vkCreateFramebuffer"));
  t->framebuffer_ = UniqueFramebuffer(device.get(), framebuffer);
  // Cached host memory when available: the CPU reads every byte back.
  DC_VK_TRY(t->readback_, Buffer::create(device, {static_cast<VkDeviceSize>(width) * height * 4,
                                                  VK_BUFFER_USAGE_TRANSFER_DST_BIT, kHostVisibleCoherent,
                                                  VK_MEMORY_PROPERTY_HOST_CACHED_BIT}));
  return t;
}

void OffscreenTarget::record_readback(VkCommandBuffer cmd) const {
  // The render pass left the image in TRANSFER_SRC_OPTIMAL with its writes made available
  // to transfers (its outgoing subpass dependency).
  VkBufferImageCopy region{};
  region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
  region.imageExtent = {image_.width(), image_.height(), 1};
  vkCmdCopyImageToBuffer(cmd, image_.get(), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, readback_.get(), 1, &region);
  VkBufferMemoryBarrier to_host{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
  to_host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
  to_host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
  to_host.srcQueueFamilyIndex = to_host.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  to_host.buffer = readback_.get();
  to_host.size = VK_WHOLE_SIZE;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 1, &to_host,
                       0, nullptr);
}

Result<std::vector<uint8_t>> OffscreenTarget::read_back() const {
  if (!rendered_) return Error::invalid_argument("read_back before anything was rendered into the offscreen target");
  const size_t bytes = static_cast<size_t>(image_.width()) * image_.height() * 4;
  std::vector<uint8_t> pixels(bytes);
  std::memcpy(pixels.data(), readback_.mapped(), bytes);
  return pixels;
}

}  // namespace dc::gpu::vulkan
