#include "gpu/vulkan/overlay/hud.h"

#include <imgui.h>
#include <backends/imgui_impl_vulkan.h>

#include <cstdio>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {
namespace {

// The backend reports failures through a callback; remember the first one per thread.
thread_local VkResult backend_error = VK_SUCCESS;
void on_backend_result(VkResult result) {
  if (result < 0 && backend_error == VK_SUCCESS) backend_error = result;
}
Status take_backend_error(const char* what) {
  const VkResult r = backend_error;
  backend_error = VK_SUCCESS;
  return vk_check(r, what);
}

// Makes `context` current for the scope, restoring the caller's context after.
class ContextScope {
 public:
  explicit ContextScope(ImGuiContext* context) : previous_(ImGui::GetCurrentContext()) {
    ImGui::SetCurrentContext(context);
  }
  ~ContextScope() { ImGui::SetCurrentContext(previous_); }

 private:
  ImGuiContext* previous_;
};

std::string gib(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return text;
}

}  // namespace

std::string hud_text(const HudStats& s) {
  std::string text;
  char line[96];
  if (!s.status.empty()) text += s.status + "\n";
  if (s.total_steps > 0) {
    std::snprintf(line, sizeof line, "step %d/%d  %.2f it/s\n", s.step, s.total_steps, s.iterations_per_second);
    text += line;
  }
  if (s.image_width > 0) text += std::to_string(s.image_width) + " x " + std::to_string(s.image_height) + "\n";
  if (s.vram_total_bytes > 0) text += "VRAM " + gib(s.vram_used_bytes) + " / " + gib(s.vram_total_bytes) + " GiB\n";
  if (!text.empty()) text.pop_back();
  return text;
}

Result<std::unique_ptr<Hud>> Hud::create(const Device& device) {
  std::unique_ptr<Hud> hud(new Hud());
  hud->device_ = &device;
  // Room for a few re-initialisations (each allocates the font's descriptor set; the pool is
  // reset between them).
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 4};
  VkDescriptorPoolCreateInfo info{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  info.maxSets = 4;
  info.poolSizeCount = 1;
  info.pPoolSizes = &size;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateDescriptorPool(device.get(), &info, nullptr, &pool), "vkCreateDescriptorPool (HUD)"));
  hud->pool_ = UniqueDescriptorPool(device.get(), pool);

  ContextScope previous(nullptr);
  hud->context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(hud->context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini next to the user's files
  io.LogFilename = nullptr;
  ImGui::StyleColorsDark();
  return hud;
}

Hud::~Hud() {
  if (!context_) return;
  ContextScope scope(context_);
  shutdown_backend();
  ImGui::DestroyContext(context_);
}

void Hud::shutdown_backend() {
  if (!backend_ready_) return;
  vkDeviceWaitIdle(device_->get());  // the backend frees buffers the last frame may still read
  ImGui_ImplVulkan_Shutdown();
  vkResetDescriptorPool(device_->get(), pool_.get(), 0);
  backend_ready_ = false;
  fonts_uploaded_ = false;
  upload_objects_pending_ = false;
}

Status Hud::init_backend(VkRenderPass render_pass) {
  ImGui_ImplVulkan_InitInfo info{};
  info.Instance = device_->instance();
  info.PhysicalDevice = device_->physical();
  info.Device = device_->get();
  info.QueueFamily = device_->queue_family();
  info.Queue = device_->queue();
  info.DescriptorPool = pool_.get();
  info.Subpass = 0;
  // The backend keeps ImageCount vertex buffers in rotation; with one frame in flight two suffice.
  info.MinImageCount = 2;
  info.ImageCount = 2;
  info.MSAASamples = VK_SAMPLE_COUNT_1_BIT;
  info.CheckVkResultFn = &on_backend_result;
  backend_error = VK_SUCCESS;
  ImGui_ImplVulkan_Init(&info, render_pass);
  backend_ready_ = true;
  return take_backend_error("ImGui_ImplVulkan_Init");
}

Status Hud::prepare(VkCommandBuffer cmd, const PreviewPass& pass) {
  ContextScope scope(context_);
  if (backend_ready_ && backend_format_ != pass.format) shutdown_backend();
  if (!backend_ready_) {
    DC_VK_TRY_STATUS(init_backend(pass.render_pass));
    backend_format_ = pass.format;
  }
  if (upload_objects_pending_) {  // the frame that uploaded the font has finished
    ImGui_ImplVulkan_DestroyFontUploadObjects();
    upload_objects_pending_ = false;
  }
  if (!fonts_uploaded_) {
    ImGui_ImplVulkan_CreateFontsTexture(cmd);
    DC_VK_TRY_STATUS(take_backend_error("ImGui_ImplVulkan_CreateFontsTexture"));
    fonts_uploaded_ = true;
    upload_objects_pending_ = true;
  }
  return {};
}

void Hud::record(VkCommandBuffer cmd, uint32_t target_width, uint32_t target_height, const HudStats& stats) {
  ContextScope scope(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(target_width), static_cast<float>(target_height));
  io.DeltaTime = 1.0f / 60.0f;
  const std::string text = hud_text(stats);
  // Two ImGui frames per draw: an auto-sizing window takes its size from the previous frame's
  // content (and hides its very first frame), so a layout pass first keeps the box fitting
  // the text every time. The HUD is a few glyphs; the extra pass costs nothing measurable.
  for (int pass = 0; pass < 2; ++pass) {
    ImGui_ImplVulkan_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(8.0f, 8.0f));
    ImGui::SetNextWindowBgAlpha(0.65f);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs |
                                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav;
    if (ImGui::Begin("##dc_hud", nullptr, flags)) ImGui::TextUnformatted(text.empty() ? "no image" : text.c_str());
    ImGui::End();
    if (pass == 0) ImGui::EndFrame();
  }
  ImGui::Render();
  ImGui_ImplVulkan_RenderDrawData(ImGui::GetDrawData(), cmd);
}

}  // namespace dc::gpu::vulkan
