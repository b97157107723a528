// The one command buffer a presenter records per frame, its fence, and the submit
// with timeline/binary semaphore waits and signals. One frame in flight: begin()
// waits for the previous submission, which keeps staging buffers and descriptor
// updates simple (a preview viewport redraws on demand, not at a fixed rate).
//
//   DC_VK_TRY(VkCommandBuffer cmd, frame.begin());
//   ... record ...
//   DC_VK_TRY_STATUS(frame.submit({}, {}));
//   DC_VK_TRY_STATUS(frame.wait());   // e.g. before reading an offscreen target back
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <utility>
#include <vector>

#include "gpu/vulkan/common/handles.h"
#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"

namespace dc::gpu::vulkan {

struct SemaphoreWait {
  VkSemaphore semaphore = VK_NULL_HANDLE;
  uint64_t value = 0;  // timeline semaphores; ignored for binary ones
  VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
};

struct SemaphoreSignal {
  VkSemaphore semaphore = VK_NULL_HANDLE;
  uint64_t value = 0;  // timeline semaphores; ignored for binary ones
};

class FrameCommands {
 public:
  FrameCommands() = default;
  static Result<FrameCommands> create(const Device& device);
  ~FrameCommands();
  FrameCommands(FrameCommands&& o) noexcept { *this = std::move(o); }
  FrameCommands& operator=(FrameCommands&& o) noexcept;

  // Waits for the previous submission, then starts recording the command buffer.
  Result<VkCommandBuffer> begin();
  // Ends recording and submits to the device queue.
  Status submit(const std::vector<SemaphoreWait>& waits, const std::vector<SemaphoreSignal>& signals);
  // Waits until the last submission finished (no-op when none is pending).
  Status wait();

 private:
  const Device* device_ = nullptr;
  UniqueCommandPool pool_;
  UniqueFence fence_;
  VkCommandBuffer command_buffer_ = VK_NULL_HANDLE;  // freed with the pool
  bool pending_ = false;
};

}  // namespace dc::gpu::vulkan
