#include "gpu/vulkan/present/swapchain.h"

#include <algorithm>
#include <string>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {
namespace {

Result<UniqueSemaphore> create_semaphore(VkDevice device) {
  VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  VkSemaphore s = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateSemaphore(device, &info, nullptr, &s), "vkCreateSemaphore"));
  return UniqueSemaphore(device, s);
}

}  // namespace

Result<std::unique_ptr<Swapchain>> Swapchain::create(const Device& device, VkSurfaceKHR surface, uint32_t width,
                                                     uint32_t height) {
  if (surface == VK_NULL_HANDLE) return Error::invalid_argument("attach_surface: null VkSurfaceKHR");
  if (!device.capabilities().swapchain)
    return Error::invalid_argument("attach_surface: the presenter was created without swapchain support "
                                   "(PresenterOptions::device.swapchain)");
  VkBool32 supported = VK_FALSE;
  DC_VK_TRY_STATUS(vk_check(vkGetPhysicalDeviceSurfaceSupportKHR(device.physical(), device.queue_family(), surface,
                                                                 &supported),
                            "vkGetPhysicalDeviceSurfaceSupportKHR"));
  if (!supported)
    return Error::not_supported(device.capabilities().name + " cannot present to this surface from its graphics queue");
  std::unique_ptr<Swapchain> chain(new Swapchain());
  chain->device_ = &device;
  chain->surface_ = surface;
  DC_VK_TRY_STATUS(chain->choose_format());
  DC_VK_TRY(chain->acquired_, create_semaphore(device.get()));
  DC_VK_TRY_STATUS(chain->recreate(width, height));
  return chain;
}

bool Swapchain::is_srgb_format() const {
  return format_ == VK_FORMAT_B8G8R8A8_SRGB || format_ == VK_FORMAT_R8G8B8A8_SRGB ||
         format_ == VK_FORMAT_A8B8G8R8_SRGB_PACK32;
}

Status Swapchain::choose_format() {
  uint32_t count = 0;
  vkGetPhysicalDeviceSurfaceFormatsKHR(device_->physical(), surface_, &count, nullptr);
  std::vector<VkSurfaceFormatKHR> formats(count);
  DC_VK_TRY_STATUS(vk_check(vkGetPhysicalDeviceSurfaceFormatsKHR(device_->physical(), surface_, &count, formats.data()),
                            "vkGetPhysicalDeviceSurfaceFormatsKHR"));
  if (formats.empty()) return Error::not_supported("the surface reports no formats");
  for (VkFormat wanted : {VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_R8G8B8A8_UNORM}) {
    for (const auto& f : formats) {
      if (f.format == wanted && f.colorSpace == VK_COLOR_SPACE_SRGB_NONLINEAR_KHR) {
        format_ = f.format;
        color_space_ = f.colorSpace;
        return {};
      }
    }
  }
  format_ = formats[0].format;  // e.g. only *_SRGB: the shader then writes linear values
  color_space_ = formats[0].colorSpace;
  return {};
}

Status Swapchain::recreate(uint32_t width, uint32_t height) {
  VkDevice dev = device_->get();
  DC_VK_TRY_STATUS(vk_check(vkDeviceWaitIdle(dev), "vkDeviceWaitIdle"));
  VkSurfaceCapabilitiesKHR caps;
  DC_VK_TRY_STATUS(vk_check(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(device_->physical(), surface_, &caps),
                            "vkGetPhysicalDeviceSurfaceCapabilitiesKHR"));
  if (caps.currentExtent.width != UINT32_MAX) {
    extent_ = caps.currentExtent;
  } else {
    extent_.width = std::clamp(width, caps.minImageExtent.width, caps.maxImageExtent.width);
    extent_.height = std::clamp(height, caps.minImageExtent.height, caps.maxImageExtent.height);
  }
  if (extent_.width == 0 || extent_.height == 0)
    return Error::invalid_argument("the window has no area (minimised?): nothing to present");
  uint32_t image_count = caps.minImageCount + 1;
  if (caps.maxImageCount != 0) image_count = std::min(image_count, caps.maxImageCount);

  VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
  info.surface = surface_;
  info.minImageCount = image_count;
  info.imageFormat = format_;
  info.imageColorSpace = color_space_;
  info.imageExtent = extent_;
  info.imageArrayLayers = 1;
  info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.preTransform = caps.currentTransform;
  info.compositeAlpha = (caps.supportedCompositeAlpha & VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR)
                            ? VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR
                            : static_cast<VkCompositeAlphaFlagBitsKHR>(caps.supportedCompositeAlpha &
                                                                       -caps.supportedCompositeAlpha);
  info.presentMode = VK_PRESENT_MODE_FIFO_KHR;
  info.clipped = VK_TRUE;
  info.oldSwapchain = swapchain_.get();
  VkSwapchainKHR raw = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateSwapchainKHR(dev, &info, nullptr, &raw), "vkCreateSwapchainKHR"));
  framebuffers_.clear();
  views_.clear();
  swapchain_ = UniqueSwapchain(dev, raw);  // retires and destroys the old one

  uint32_t count = 0;
  vkGetSwapchainImagesKHR(dev, raw, &count, nullptr);
  images_.resize(count);
  DC_VK_TRY_STATUS(vk_check(vkGetSwapchainImagesKHR(dev, raw, &count, images_.data()), "vkGetSwapchainImagesKHR"));
  render_done_.clear();
  for (VkImage image : images_) {
    VkImageViewCreateInfo view{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
    view.image = image;
    view.viewType = VK_IMAGE_VIEW_TYPE_2D;
    view.format = format_;
    view.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageView raw_view = VK_NULL_HANDLE;
    DC_VK_TRY_STATUS(vk_check(vkCreateImageView(dev, &view, nullptr, &raw_view), "vkCreateImageView (swapchain)"));
    views_.emplace_back(dev, raw_view);
    DC_VK_TRY(UniqueSemaphore done, create_semaphore(dev));
    render_done_.push_back(std::move(done));
  }
  return {};
}

Status Swapchain::make_framebuffers(VkRenderPass render_pass) {
  framebuffers_.clear();
  for (const UniqueImageView& view : views_) {
    VkImageView attachment = view.get();
    VkFramebufferCreateInfo info{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
    info.renderPass = render_pass;
    info.attachmentCount = 1;
    info.pAttachments = &attachment;
    info.width = extent_.width;
    info.height = extent_.height;
    info.layers = 1;
    VkFramebuffer framebuffer = VK_NULL_HANDLE;
    DC_VK_TRY_STATUS(vk_check(vkCreateFramebuffer(device_->get(), &info, nullptr, &framebuffer),
                              "vkCreateFramebuffer (swapchain)"));
    framebuffers_.emplace_back(device_->get(), framebuffer);
  }
  return {};
}

Result<std::optional<SwapchainImage>> Swapchain::acquire() {
  uint32_t index = 0;
  const VkResult r = vkAcquireNextImageKHR(device_->get(), swapchain_.get(), UINT64_MAX, acquired_.get(),
                                           VK_NULL_HANDLE, &index);
  if (r == VK_ERROR_OUT_OF_DATE_KHR) return std::optional<SwapchainImage>();
  DC_VK_TRY_STATUS(vk_check(r, "vkAcquireNextImageKHR"));  // SUBOPTIMAL still delivers an image
  if (index >= framebuffers_.size()) return Error::internal("swapchain framebuffers were not made");
  return std::optional<SwapchainImage>(
      SwapchainImage{index, framebuffers_[index].get(), acquired_.get(), render_done_[index].get()});
}

Result<bool> Swapchain::present(const SwapchainImage& image) {
  VkSwapchainKHR chain = swapchain_.get();
  VkPresentInfoKHR info{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  info.waitSemaphoreCount = 1;
  info.pWaitSemaphores = &image.render_done;
  info.swapchainCount = 1;
  info.pSwapchains = &chain;
  info.pImageIndices = &image.index;
  const VkResult r = vkQueuePresentKHR(device_->queue(), &info);
  if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) return false;
  DC_VK_TRY_STATUS(vk_check(r, "vkQueuePresentKHR"));
  return true;
}

}  // namespace dc::gpu::vulkan
