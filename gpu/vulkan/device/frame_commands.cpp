#include "gpu/vulkan/device/frame_commands.h"

#include "gpu/vulkan/common/vk_check.h"

namespace dc::gpu::vulkan {
namespace {

// A frame that has not finished after this long is reported instead of hanging the UI
// (e.g. an interop frame whose producer never signalled its semaphore).
constexpr uint64_t kFrameTimeoutNs = 20ull * 1000 * 1000 * 1000;

}  // namespace

Result<FrameCommands> FrameCommands::create(const Device& device) {
  VkDevice dev = device.get();
  FrameCommands f;
  f.device_ = &device;
  VkCommandPoolCreateInfo pool{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
  pool.queueFamilyIndex = device.queue_family();
  VkCommandPool raw_pool = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateCommandPool(dev, &pool, nullptr, &raw_pool), "vkCreateCommandPool"));
  f.pool_ = UniqueCommandPool(dev, raw_pool);

  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = raw_pool;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  DC_VK_TRY_STATUS(vk_check(vkAllocateCommandBuffers(dev, &alloc, &f.command_buffer_), "vkAllocateCommandBuffers"));

  VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence raw_fence = VK_NULL_HANDLE;
  DC_VK_TRY_STATUS(vk_check(vkCreateFence(dev, &fence, nullptr, &raw_fence), "vkCreateFence"));
  f.fence_ = UniqueFence(dev, raw_fence);
  return f;
}

FrameCommands& FrameCommands::operator=(FrameCommands&& o) noexcept {
  if (this != &o) {
    if (pending_) (void)wait();
    device_ = o.device_;
    pool_ = std::move(o.pool_);
    fence_ = std::move(o.fence_);
    command_buffer_ = std::exchange(o.command_buffer_, VK_NULL_HANDLE);
    pending_ = std::exchange(o.pending_, false);
  }
  return *this;
}

FrameCommands::~FrameCommands() {
  // Destroying a pool whose command buffer is still executing is undefined.
  if (pending_) (void)wait();
}

Result<VkCommandBuffer> FrameCommands::begin() {
  DC_VK_TRY_STATUS(wait());
  DC_VK_TRY_STATUS(vk_check(vkResetCommandBuffer(command_buffer_, 0), "vkResetCommandBuffer"));
  VkCommandBufferBeginInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  DC_VK_TRY_STATUS(vk_check(vkBeginCommandBuffer(command_buffer_, &info), "vkBeginCommandBuffer"));
  return command_buffer_;
}

Status FrameCommands::submit(const std::vector<SemaphoreWait>& waits, const std::vector<SemaphoreSignal>& signals) {
  DC_VK_TRY_STATUS(vk_check(vkEndCommandBuffer(command_buffer_), "vkEndCommandBuffer"));
  std::vector<VkSemaphore> wait_semaphores, signal_semaphores;
  std::vector<uint64_t> wait_values, signal_values;
  std::vector<VkPipelineStageFlags> wait_stages;
  for (const SemaphoreWait& w : waits) {
    wait_semaphores.push_back(w.semaphore);
    wait_values.push_back(w.value);
    wait_stages.push_back(w.stage);
  }
  for (const SemaphoreSignal& s : signals) {
    signal_semaphores.push_back(s.semaphore);
    signal_values.push_back(s.value);
  }
  VkTimelineSemaphoreSubmitInfo timeline{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
  timeline.waitSemaphoreValueCount = static_cast<uint32_t>(wait_values.size());
  timeline.pWaitSemaphoreValues = wait_values.data();
  timeline.signalSemaphoreValueCount = static_cast<uint32_t>(signal_values.size());
  timeline.pSignalSemaphoreValues = signal_values.data();
  VkSubmitInfo info{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  info.pNext = &timeline;
  info.waitSemaphoreCount = static_cast<uint32_t>(wait_semaphores.size());
  info.pWaitSemaphores = wait_semaphores.data();
  info.pWaitDstStageMask = wait_stages.data();
  info.commandBufferCount = 1;
  info.pCommandBuffers = &command_buffer_;
  info.signalSemaphoreCount = static_cast<uint32_t>(signal_semaphores.size());
  info.pSignalSemaphores = signal_semaphores.data();
  const VkFence fence = fence_.get();
  DC_VK_TRY_STATUS(vk_check(vkResetFences(device_->get(), 1, &fence), "vkResetFences"));
  DC_VK_TRY_STATUS(vk_check(vkQueueSubmit(device_->queue(), 1, &info, fence_.get()), "vkQueueSubmit"));
  pending_ = true;
  return {};
}

Status FrameCommands::wait() {
  if (!pending_) return {};
  const VkFence fence = fence_.get();
  const VkResult r = vkWaitForFences(device_->get(), 1, &fence, VK_TRUE, kFrameTimeoutNs);
  if (r == VK_TIMEOUT)
    return Error::internal("a preview frame did not finish within 20 s (an interop producer that never signalled?)");
  DC_VK_TRY_STATUS(vk_check(r, "vkWaitForFences"));
  pending_ = false;
  return {};
}

}  // namespace dc::gpu::vulkan
