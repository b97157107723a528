// The preview presenter: shows a generated image (or a live step preview) zoomed,
// panned, 1:1 or fitted, tone-mapped to the display, into a swapchain (a window the UI
// owns) or an offscreen target (tests, thumbnails). No Qt here: ui/viewport hosts it.
//
// Frames arrive two ways and are shown the same way:
//   upload(HostImage)          host memory -> staging buffer -> device image
//   interop_target(...)        CUDA writes device memory exported by Vulkan (cuda_interop.h);
//                              the next render copies it into the device image, in order
//                              through the target's timeline semaphore
//
//   PresenterOptions o;                                    // o.hud = true for the overlay
//   DC_VK_TRY(auto presenter, Presenter::create(o));
//   DC_VK_TRY_STATUS(presenter->upload(image));
//   DC_VK_TRY_STATUS(presenter->set_view({ViewMode::kZoom, 2.0f, 16.0f, 0.0f}));
//   DC_VK_TRY(auto target, presenter->create_offscreen_target(640, 480));
//   DC_VK_TRY_STATUS(presenter->render_offscreen(*target));
//   DC_VK_TRY(auto rgba8, target->read_back());
//
// A window: create with o.instance.extensions = the window system's surface extensions and
// o.device.swapchain = true; give presenter->vk_instance() to QVulkanInstance::setVkInstance,
// then attach_surface(surface, w, h), resize() on window resizes, present() to draw.
//
// Not thread-safe: one thread (the UI's) calls everything here. Only an InteropTarget's
// producer methods may be called from another thread. Offscreen targets and the interop
// target must not outlive their presenter.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"
#include "gpu/vulkan/device/frame_commands.h"
#include "gpu/vulkan/device/instance.h"
#include "gpu/vulkan/interop/interop_target.h"
#include "gpu/vulkan/overlay/hud.h"
#include "gpu/vulkan/present/host_image.h"
#include "gpu/vulkan/present/offscreen_target.h"
#include "gpu/vulkan/present/preview_pipeline.h"
#include "gpu/vulkan/present/source_image.h"
#include "gpu/vulkan/present/swapchain.h"
#include "gpu/vulkan/present/tone_map.h"
#include "gpu/vulkan/present/view_transform.h"

namespace dc::gpu::vulkan {

struct PresenterOptions {
  InstanceOptions instance;  // validation, surface extensions
  DeviceOptions device;      // which GPU (the CUDA one for interop), swapchain support
  bool hud = false;          // create the ImGui HUD (hidden until set_hud_visible / toggle_hud)
  float background[3] = {0.09f, 0.09f, 0.10f};  // sRGB-encoded; around and under the image
};

class Presenter {
 public:
  static Result<std::unique_ptr<Presenter>> create(const PresenterOptions& options);
  ~Presenter();
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  // ---- frames in ----
  // Copies `image` into the staging buffer now; the next render shows it. Zero sizes, bad
  // strides and sizes beyond the device's image limit are errors and leave the shown image as is.
  Status upload(const HostImage& image);
  // The presenter's interop target, (re)created when size/format/export differ from the current
  // one, which is destroyed: its producer (CUDA import) must be released first. When a host upload
  // and an interop frame both arrive between two renders, the interop frame is shown.
  Result<InteropTarget*> interop_target(const InteropTargetOptions& options);

  // ---- look ----
  Status set_view(const ViewTransform& view);
  Status set_tone_map(const ToneMap& tone);
  void set_filter(Filter filter) { filter_ = filter; }
  const ViewTransform& view() const { return view_; }
  const ToneMap& tone_map() const { return tone_; }
  Filter filter() const { return filter_; }
  // The mapping the next render uses for a target of this size (tests, UI hit-testing).
  ViewMapping view_mapping(uint32_t target_width, uint32_t target_height) const;

  // ---- HUD (no-ops without PresenterOptions::hud) ----
  void set_hud_visible(bool visible) { hud_visible_ = visible; }
  bool hud_visible() const { return hud_visible_; }
  void toggle_hud() { hud_visible_ = !hud_visible_; }
  void set_hud_stats(const HudStats& stats) { hud_stats_ = stats; }

  // ---- out ----
  Result<std::unique_ptr<OffscreenTarget>> create_offscreen_target(uint32_t width, uint32_t height);
  // Draws into `target` and waits, so target.read_back() has this frame.
  Status render_offscreen(OffscreenTarget& target);
  Status attach_surface(VkSurfaceKHR surface, uint32_t width, uint32_t height);
  Status resize(uint32_t width, uint32_t height);
  Status present();
  void detach_surface();  // before the UI destroys the surface

  // ---- introspection ----
  VkInstance vk_instance() const { return instance_->get(); }
  const Device& device() const { return *device_; }
  const DeviceCapabilities& device_capabilities() const { return device_->capabilities(); }
  std::vector<std::string> validation_errors() const { return instance_->validation_errors(); }
  bool has_image() const { return source_.has_content() || pending_host_; }
  uint32_t image_width() const { return source_.width(); }
  uint32_t image_height() const { return source_.height(); }

 private:
  Presenter() = default;
  Status record_frame(VkCommandBuffer cmd, const PreviewPass& pass, VkFramebuffer framebuffer, uint32_t width,
                      uint32_t height, bool target_is_srgb, std::vector<SemaphoreWait>& waits,
                      std::vector<SemaphoreSignal>& signals);
  Status record_incoming_frame(VkCommandBuffer cmd, std::vector<SemaphoreWait>& waits,
                               std::vector<SemaphoreSignal>& signals);
  Status rebuild_swapchain();

  std::unique_ptr<Instance> instance_;
  std::unique_ptr<Device> device_;
  PreviewPipeline pipeline_;
  SourceImage source_;
  FrameCommands frame_;
  std::unique_ptr<Hud> hud_;
  std::unique_ptr<InteropTarget> interop_;
  std::unique_ptr<Swapchain> swapchain_;

  float background_[3] = {0.0f, 0.0f, 0.0f};
  ViewTransform view_;
  ToneMap tone_;
  Filter filter_ = Filter::kNearest;
  bool pending_host_ = false;
  bool hud_visible_ = false;
  HudStats hud_stats_;
  uint32_t window_width_ = 0;
  uint32_t window_height_ = 0;
  bool swapchain_stale_ = false;
};

}  // namespace dc::gpu::vulkan
