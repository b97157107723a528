// The heads-up display over the preview: step, speed, image size, VRAM. Drawn with
// Dear ImGui's Vulkan backend (Debian's libimgui-dev ships imgui_impl_vulkan) inside
// the preview's render pass, after the image. Each Hud owns its ImGui context, so
// presenters do not share state. Input (the toggle key) is the UI's job: ui/viewport
// calls Presenter::toggle_hud() on its key.
//
//   DC_VK_TRY(auto hud, Hud::create(instance, device));
//   DC_VK_TRY_STATUS(hud->prepare(cmd, pass));          // before vkCmdBeginRenderPass
//   hud->record(cmd, target_w, target_h, stats);         // inside the render pass
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <string>

#include "gpu/vulkan/common/handles.h"
#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"
#include "gpu/vulkan/present/preview_pipeline.h"

struct ImGuiContext;

namespace dc::gpu::vulkan {

struct HudStats {
  int step = 0;         // steps done
  int total_steps = 0;  // 0: no step line
  double iterations_per_second = 0.0;
  uint64_t vram_used_bytes = 0;  // 0 and 0: no VRAM line (the engine's numbers, e.g. cudaMemGetInfo)
  uint64_t vram_total_bytes = 0;
  std::string status;  // free text, e.g. "denoising" or "decoding"
  // Filled in by the presenter from the shown image:
  uint32_t image_width = 0;
  uint32_t image_height = 0;
};

// The HUD's lines, exactly as drawn (tests read them; the UI may reuse them for tooltips).
std::string hud_text(const HudStats& stats);

class Hud {
 public:
  static Result<std::unique_ptr<Hud>> create(const Device& device);
  ~Hud();
  Hud(const Hud&) = delete;
  Hud& operator=(const Hud&) = delete;

  // Outside a render pass, with no earlier frame in flight: binds the ImGui backend to
  // `pass` (re-initialising when the target format changed) and records the one-time font
  // upload into `cmd`.
  Status prepare(VkCommandBuffer cmd, const PreviewPass& pass);
  // Inside the render pass begun on `pass`.
  void record(VkCommandBuffer cmd, uint32_t target_width, uint32_t target_height, const HudStats& stats);

 private:
  Hud() = default;
  Status init_backend(VkRenderPass render_pass);
  void shutdown_backend();

  const Device* device_ = nullptr;
  ImGuiContext* context_ = nullptr;
  UniqueDescriptorPool pool_;
  VkFormat backend_format_ = VK_FORMAT_UNDEFINED;  // format the backend's pipeline was made for
  bool backend_ready_ = false;
  bool fonts_uploaded_ = false;
  bool upload_objects_pending_ = false;
};

}  // namespace dc::gpu::vulkan
