// A swapchain on a surface the UI made (QVulkanInstance::surfaceForWindow on the
// presenter's VkInstance): images, framebuffers for the presenter's render pass, and
// per-image semaphores. Prefers a UNORM format (the shader then writes sRGB-encoded
// values itself, exact for 8-bit images) and FIFO presentation (always available).
//
//   DC_VK_TRY(auto chain, Swapchain::create(device, surface, w, h));
//   DC_VK_TRY_STATUS(chain->make_framebuffers(render_pass));
//   DC_VK_TRY(std::optional<SwapchainImage> img, chain->acquire());   // nullopt: out of date, recreate
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "gpu/vulkan/common/handles.h"
#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"

namespace dc::gpu::vulkan {

struct SwapchainImage {
  uint32_t index = 0;
  VkFramebuffer framebuffer = VK_NULL_HANDLE;
  VkSemaphore acquired = VK_NULL_HANDLE;       // signalled when the image may be drawn
  VkSemaphore render_done = VK_NULL_HANDLE;    // to signal when drawing finished (presentation waits)
};

class Swapchain {
 public:
  // Checks that the device's queue can present to `surface`; width/height are the window's
  // size in pixels, used when the surface leaves the extent to the application.
  static Result<std::unique_ptr<Swapchain>> create(const Device& device, VkSurfaceKHR surface, uint32_t width,
                                                   uint32_t height);
  // New images at the current surface size (the old swapchain is retired). Framebuffers must be
  // made again after this.
  Status recreate(uint32_t width, uint32_t height);
  Status make_framebuffers(VkRenderPass render_pass);

  VkFormat format() const { return format_; }
  bool is_srgb_format() const;
  VkExtent2D extent() const { return extent_; }

  // The next image, or nullopt when the swapchain is out of date (recreate, then try again).
  Result<std::optional<SwapchainImage>> acquire();
  // Queues `image` for presentation after its render_done semaphore; false when out of date or
  // suboptimal (recreate before the next frame).
  Result<bool> present(const SwapchainImage& image);

 private:
  Swapchain() = default;
  Status choose_format();

  const Device* device_ = nullptr;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;  // owned by the UI
  VkFormat format_ = VK_FORMAT_UNDEFINED;
  VkColorSpaceKHR color_space_ = VK_COLOR_SPACE_SRGB_NONLINEAR_KHR;
  VkExtent2D extent_{};
  UniqueSwapchain swapchain_;
  std::vector<VkImage> images_;  // owned by the swapchain
  std::vector<UniqueImageView> views_;
  std::vector<UniqueFramebuffer> framebuffers_;
  std::vector<UniqueSemaphore> render_done_;  // one per image: presentation may hold it until re-acquired
  UniqueSemaphore acquired_;                  // one frame in flight: reused after each fence wait
};

}  // namespace dc::gpu::vulkan
