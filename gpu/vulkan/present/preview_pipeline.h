// The preview pass: render passes per target format, the full-screen-triangle
// pipeline running shaders/preview.frag, and the descriptor set binding the
// source image. Render passes clear to the background; the HUD draws in the same pass.
//
//   DC_VK_TRY(PreviewPipeline pipeline, PreviewPipeline::create(device));
//   DC_VK_TRY(auto pass, pipeline.pass(VK_FORMAT_R8G8B8A8_UNORM, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL));
//   pipeline.bind_source(image.view());              // only while no frame is in flight
//   vkCmdBeginRenderPass(...pass.render_pass...); pipeline.record_draw(cmd, pass, params, w, h);
#pragma once

#include <vulkan/vulkan.h>

#include <map>
#include <memory>
#include <utility>

#include "gpu/vulkan/common/handles.h"
#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"
#include "gpu/vulkan/shaders/preview_params.h"

namespace dc::gpu::vulkan {

struct PreviewPass {
  VkRenderPass render_pass = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
  VkFormat format = VK_FORMAT_UNDEFINED;
};

class PreviewPipeline {
 public:
  PreviewPipeline() = default;
  static Result<PreviewPipeline> create(const Device& device);

  // The render pass (clear, store, ending in `final_layout`) and pipeline for a colour format,
  // created on first use.
  Result<PreviewPass> pass(VkFormat format, VkImageLayout final_layout);

  // Points the descriptor set at the source image (SHADER_READ_ONLY_OPTIMAL when drawn).
  void bind_source(VkImageView view);

  // Viewport/scissor to the target, push constants, descriptor set, one triangle (nothing
  // without a source: the pass's clear is the background).
  void record_draw(VkCommandBuffer cmd, const PreviewPass& pass, const shader::PreviewParams& params,
                   uint32_t width, uint32_t height) const;

 private:
  struct PassObjects {
    UniqueRenderPass render_pass;
    UniquePipeline pipeline;
  };
  Result<UniquePipeline> create_pipeline(VkRenderPass render_pass) const;

  const Device* device_ = nullptr;
  UniqueDescriptorSetLayout set_layout_;
  UniquePipelineLayout layout_;
  UniqueSampler sampler_;
  UniqueDescriptorPool descriptor_pool_;
  VkDescriptorSet set_ = VK_NULL_HANDLE;  // freed with the pool
  UniqueShaderModule vertex_;
  UniqueShaderModule fragment_;
  // unique_ptr so PreviewPass handles stay put when the map grows or the pipeline moves.
  std::map<std::pair<VkFormat, VkImageLayout>, std::unique_ptr<PassObjects>> passes_;
};

}  // namespace dc::gpu::vulkan
