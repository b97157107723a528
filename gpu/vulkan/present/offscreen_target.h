// A render target in device memory, read back to the host after each render: what
// tests and thumbnails draw into (no window needed). RGBA8 UNORM holding sRGB-encoded
// values, as a swapchain shows them.
//
//   DC_VK_TRY(auto target, presenter->create_offscreen_target(256, 256));
//   DC_VK_TRY_STATUS(presenter->render_offscreen(*target));
//   DC_VK_TRY(std::vector<uint8_t> rgba, target->read_back());   // 256 * 256 * 4 bytes, top row first
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "gpu/vulkan/common/handles.h"
#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"
#include "gpu/vulkan/device/memory.h"

namespace dc::gpu::vulkan {

inline constexpr VkFormat kOffscreenFormat = VK_FORMAT_R8G8B8A8_UNORM;

class OffscreenTarget {
 public:
  // `render_pass` is the presenter's pass for kOffscreenFormat (ending in TRANSFER_SRC_OPTIMAL).
  static Result<std::unique_ptr<OffscreenTarget>> create(const Device& device, VkRenderPass render_pass,
                                                         uint32_t width, uint32_t height);

  uint32_t width() const { return image_.width(); }
  uint32_t height() const { return image_.height(); }
  VkFramebuffer framebuffer() const { return framebuffer_.get(); }

  // Inside the presenter's frame, after the render pass: image -> readback buffer.
  void record_readback(VkCommandBuffer cmd) const;
  // The last rendered frame as RGBA8 rows, top first (valid once the presenter's render returned).
  Result<std::vector<uint8_t>> read_back() const;
  bool rendered() const { return rendered_; }
  void mark_rendered() { rendered_ = true; }

 private:
  OffscreenTarget() = default;
  Image image_;
  UniqueFramebuffer framebuffer_;
  Buffer readback_;
  bool rendered_ = false;
};

}  // namespace dc::gpu::vulkan
