#include "gpu/vulkan/present/presenter.h"

#include <string>

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {

Result<std::unique_ptr<Presenter>> Presenter::create(const PresenterOptions& options) {
  std::unique_ptr<Presenter> p(new Presenter());
  DC_VK_TRY(p->instance_, Instance::create(options.instance));
  DC_VK_TRY(p->device_, Device::create(*p->instance_, options.device));
  DC_VK_TRY(p->pipeline_, PreviewPipeline::create(*p->device_));
  DC_VK_TRY(p->frame_, FrameCommands::create(*p->device_));
  if (options.hud) {
    DC_VK_TRY(p->hud_, Hud::create(*p->device_));
  }
  for (int c = 0; c < 3; ++c) p->background_[c] = options.background[c];
  return p;
}

Presenter::~Presenter() {
  if (!device_) return;
  (void)frame_.wait();
  vkDeviceWaitIdle(device_->get());
  swapchain_.reset();
}

Status Presenter::upload(const HostImage& image) {
  DC_VK_TRY_STATUS(validate(image));
  const uint32_t limit = device_->capabilities().max_image_dimension_2d;
  if (image.width > limit || image.height > limit)
    return Error::not_supported(std::string(pixel_format_name(image.format)) + " image of " +
                                std::to_string(image.width) + "x" + std::to_string(image.height) +
                                " pixels exceeds this device's largest 2D image side (" + std::to_string(limit) +
                                ", maxImageDimension2D of " + device_->capabilities().name + ")");
  DC_VK_TRY_STATUS(frame_.wait());  // the staging buffer and image may be in use by the last frame
  DC_VK_TRY(bool recreated, source_.ensure(*device_, image.width, image.height, device_format(image.format)));
  if (recreated) pipeline_.bind_source(source_.view());
  DC_VK_TRY_STATUS(source_.stage(*device_, image));
  pending_host_ = true;
  return {};
}

Result<InteropTarget*> Presenter::interop_target(const InteropTargetOptions& options) {
  if (interop_) {
    const InteropTargetOptions& o = interop_->options();
    if (o.width == options.width && o.height == options.height && o.format == options.format &&
        o.export_semaphore == options.export_semaphore)
      return interop_.get();
  }
  DC_VK_TRY_STATUS(frame_.wait());
  interop_.reset();
  DC_VK_TRY(interop_, InteropTarget::create(*device_, options));
  return interop_.get();
}

Status Presenter::set_view(const ViewTransform& view) {
  DC_VK_TRY_STATUS(validate(view));
  view_ = view;
  return {};
}

Status Presenter::set_tone_map(const ToneMap& tone) {
  DC_VK_TRY_STATUS(validate(tone));
  tone_ = tone;
  return {};
}

ViewMapping Presenter::view_mapping(uint32_t target_width, uint32_t target_height) const {
  return map_view(view_, source_.width(), source_.height(), target_width, target_height);
}

Result<std::unique_ptr<OffscreenTarget>> Presenter::create_offscreen_target(uint32_t width, uint32_t height) {
  DC_VK_TRY(PreviewPass pass, pipeline_.pass(kOffscreenFormat, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL));
  return OffscreenTarget::create(*device_, pass.render_pass, width, height);
}

Status Presenter::record_incoming_frame(VkCommandBuffer cmd, std::vector<SemaphoreWait>& waits,
                                        std::vector<SemaphoreSignal>& signals) {
  std::optional<FrameTicket> ticket = interop_ ? interop_->take_published() : std::nullopt;
  if (ticket) {
    const InteropTargetOptions& o = interop_->options();
    const VkFormat format =
        o.format == InteropFormat::kRgba32F ? VK_FORMAT_R32G32B32A32_SFLOAT : VK_FORMAT_R8G8B8A8_UNORM;
    DC_VK_TRY(bool recreated, source_.ensure(*device_, o.width, o.height, format));
    if (recreated) pipeline_.bind_source(source_.view());
    source_.record_copy(cmd, interop_->buffer(), /*from_external=*/true, device_->queue_family());
    waits.push_back({interop_->timeline(), ticket->signal_value, VK_PIPELINE_STAGE_TRANSFER_BIT});
    signals.push_back({interop_->timeline(), ticket->signal_value + 1});
    pending_host_ = false;  // the interop frame is newer (see interop_target())
  } else if (pending_host_) {
    source_.record_copy(cmd, source_.staging().get(), /*from_external=*/false, device_->queue_family());
    pending_host_ = false;
  }
  return {};
}

Status Presenter::record_frame(VkCommandBuffer cmd, const PreviewPass& pass, VkFramebuffer framebuffer,
                               uint32_t width, uint32_t height, bool target_is_srgb,
                               std::vector<SemaphoreWait>& waits, std::vector<SemaphoreSignal>& signals) {
  DC_VK_TRY_STATUS(record_incoming_frame(cmd, waits, signals));
  const bool draw_hud = hud_ && hud_visible_;
  if (draw_hud) DC_VK_TRY_STATUS(hud_->prepare(cmd, pass));

  FrameLook look;
  look.view = map_view(view_, source_.width(), source_.height(), width, height);
  look.tone = tone_;
  look.filter = filter_;
  for (int c = 0; c < 3; ++c) look.background[c] = background_[c];
  look.has_source = source_.has_content();
  look.source_width = source_.width();
  look.source_height = source_.height();
  look.target_is_srgb_format = target_is_srgb;
  const shader::PreviewParams params = make_preview_params(look);

  VkClearValue clear{};
  clear.color = {{params.background_r, params.background_g, params.background_b, 1.0f}};
  VkRenderPassBeginInfo begin{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  begin.renderPass = pass.render_pass;
  begin.framebuffer = framebuffer;
  begin.renderArea = {{0, 0}, {width, height}};
  begin.clearValueCount = 1;
  begin.pClearValues = &clear;
  vkCmdBeginRenderPass(cmd, &begin, VK_SUBPASS_CONTENTS_INLINE);
  pipeline_.record_draw(cmd, pass, params, width, height);
  if (draw_hud) {
    HudStats stats = hud_stats_;
    stats.image_width = source_.width();
    stats.image_height = source_.height();
    hud_->record(cmd, width, height, stats);
  }
  vkCmdEndRenderPass(cmd);
  return {};
}

Status Presenter::render_offscreen(OffscreenTarget& target) {
  DC_VK_TRY(PreviewPass pass, pipeline_.pass(kOffscreenFormat, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL));
  DC_VK_TRY(VkCommandBuffer cmd, frame_.begin());
  std::vector<SemaphoreWait> waits;
  std::vector<SemaphoreSignal> signals;
  DC_VK_TRY_STATUS(record_frame(cmd, pass, target.framebuffer(), target.width(), target.height(),
                                /*target_is_srgb=*/false, waits, signals));
  target.record_readback(cmd);
  DC_VK_TRY_STATUS(frame_.submit(waits, signals));
  DC_VK_TRY_STATUS(frame_.wait());
  target.mark_rendered();
  return {};
}

Status Presenter::attach_surface(VkSurfaceKHR surface, uint32_t width, uint32_t height) {
  detach_surface();
  window_width_ = width;
  window_height_ = height;
  DC_VK_TRY(swapchain_, Swapchain::create(*device_, surface, width, height));
  DC_VK_TRY(PreviewPass pass, pipeline_.pass(swapchain_->format(), VK_IMAGE_LAYOUT_PRESENT_SRC_KHR));
  return swapchain_->make_framebuffers(pass.render_pass);
}

void Presenter::detach_surface() {
  if (!swapchain_) return;
  (void)frame_.wait();
  vkDeviceWaitIdle(device_->get());
  swapchain_.reset();
  swapchain_stale_ = false;
}

Status Presenter::resize(uint32_t width, uint32_t height) {
  window_width_ = width;
  window_height_ = height;
  swapchain_stale_ = true;  // rebuilt by the next present(), once per burst of resize events
  return {};
}

Status Presenter::rebuild_swapchain() {
  DC_VK_TRY_STATUS(frame_.wait());
  DC_VK_TRY_STATUS(swapchain_->recreate(window_width_, window_height_));
  DC_VK_TRY(PreviewPass pass, pipeline_.pass(swapchain_->format(), VK_IMAGE_LAYOUT_PRESENT_SRC_KHR));
  DC_VK_TRY_STATUS(swapchain_->make_framebuffers(pass.render_pass));
  swapchain_stale_ = false;
  return {};
}

Status Presenter::present() {
  if (!swapchain_) return Error::invalid_argument("present() without a surface: call attach_surface first");
  if (swapchain_stale_) DC_VK_TRY_STATUS(rebuild_swapchain());
  DC_VK_TRY(PreviewPass pass, pipeline_.pass(swapchain_->format(), VK_IMAGE_LAYOUT_PRESENT_SRC_KHR));
  DC_VK_TRY_STATUS(frame_.wait());
  DC_VK_TRY(std::optional<SwapchainImage> image, swapchain_->acquire());
  if (!image) {
    DC_VK_TRY_STATUS(rebuild_swapchain());
    DC_VK_TRY(image, swapchain_->acquire());
    if (!image) return Error::internal("the swapchain is out of date right after being rebuilt");
  }
  DC_VK_TRY(VkCommandBuffer cmd, frame_.begin());
  std::vector<SemaphoreWait> waits{{image->acquired, 0, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT}};
  std::vector<SemaphoreSignal> signals{{image->render_done, 0}};
  const VkExtent2D extent = swapchain_->extent();
  DC_VK_TRY_STATUS(record_frame(cmd, pass, image->framebuffer, extent.width, extent.height,
                                swapchain_->is_srgb_format(), waits, signals));
  DC_VK_TRY_STATUS(frame_.submit(waits, signals));
  DC_VK_TRY(bool current, swapchain_->present(*image));
  if (!current) swapchain_stale_ = true;
  return {};
}

}  // namespace dc::gpu::vulkan
