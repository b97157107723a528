// A frame buffer another API writes on the GPU (CUDA through cuda_interop.h), shown by
// the presenter without a trip through host memory: device memory exported as an
// opaque fd (VK_KHR_external_memory_fd) and a timeline semaphore exported the same way
// (VK_KHR_external_semaphore_fd).
//
// Frame protocol on the timeline semaphore (value 0 at creation). Frame k = 1, 2, ...:
//   producer: GPU-waits value 2k-2 (the presenter finished copying frame k-1), writes the
//             buffer, GPU-signals 2k-1, then publish()es on the host;
//   presenter: the next render waits 2k-1, copies the buffer into its image, signals 2k.
// try_begin_frame() refuses (returns nullopt) while frame k-1 is not consumed, so a
// producer never stalls its stream on a UI that is not drawing: it drops that preview.
//
//   // UI thread
//   DC_VK_TRY(InteropTarget* target, presenter->interop_target({width, height}));
//   // engine thread (see cuda_interop.h for the CUDA calls)
//   if (auto ticket = target->try_begin_frame()) { wait(ticket->wait_value); write; signal(ticket->signal_value);
//                                                  target->publish(*ticket); }
#pragma once

#include <vulkan/vulkan.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "gpu/vulkan/common/handles.h"
#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"
#include "gpu/vulkan/device/memory.h"

namespace dc::gpu::vulkan {

enum class InteropFormat {
  kRgba32F,  // 16 bytes per pixel
  kRgba8,    // 4 bytes per pixel, UNORM
};

size_t interop_pixel_bytes(InteropFormat format);

struct InteropTargetOptions {
  uint32_t width = 0;
  uint32_t height = 0;
  InteropFormat format = InteropFormat::kRgba32F;
  // Export the timeline semaphore (CUDA needs it). Off only for producers on this same
  // Vulkan device (tests on drivers without VK_KHR_external_semaphore_fd, e.g. lavapipe),
  // which signal it with vkSignalSemaphore.
  bool export_semaphore = true;
};

// What an importer needs. The fds are new for each export_handles() call and belong to the
// receiver (CUDA takes ownership on a successful import; close them otherwise).
struct InteropHandles {
  int memory_fd = -1;
  uint64_t allocation_size = 0;  // bytes of the exported allocation (>= buffer size)
  bool dedicated = false;        // a dedicated allocation (CUDA: cudaExternalMemoryDedicated)
  uint32_t memory_type_index = 0;  // for Vulkan importers (same physical device)
  int semaphore_fd = -1;           // timeline semaphore; -1 when not exported
  uint32_t width = 0;
  uint32_t height = 0;
  InteropFormat format = InteropFormat::kRgba32F;
  size_t row_pitch = 0;  // bytes per row; rows are tightly packed RGBA, top row first
  uint64_t buffer_bytes = 0;
};

struct FrameTicket {
  uint64_t frame = 0;         // k
  uint64_t wait_value = 0;    // 2k-2: wait before writing
  uint64_t signal_value = 0;  // 2k-1: signal after writing
};

class InteropTarget {
 public:
  static Result<std::unique_ptr<InteropTarget>> create(const Device& device, const InteropTargetOptions& options);
  ~InteropTarget();

  const InteropTargetOptions& options() const { return options_; }
  Result<InteropHandles> export_handles() const;

  // ---- producer side: any one thread ----
  // A ticket for the next frame, or nullopt while the presenter has not consumed the last one.
  std::optional<FrameTicket> try_begin_frame();
  // The producer has queued its signal of ticket.signal_value: the presenter may consume it.
  void publish(const FrameTicket& ticket);
  // The producer gave up on this ticket before signalling (e.g. its copy failed): nothing to show.
  void abandon(const FrameTicket& ticket);
  VkSemaphore timeline() const { return timeline_.get(); }  // host producers: vkSignalSemaphore
  VkBuffer buffer() const { return buffer_.get(); }

  // ---- presenter side ----
  // The published frame not yet consumed: its render must wait `signal_value` and signal
  // `signal_value + 1`. Marks it consumed.
  std::optional<FrameTicket> take_published();

 private:
  InteropTarget() = default;
  const Device* device_ = nullptr;
  InteropTargetOptions options_;
  Buffer buffer_;
  UniqueSemaphore timeline_;
  std::atomic<uint64_t> published_{0};  // last frame the producer published
  std::atomic<bool> writing_{false};    // a ticket is out and not yet published
  uint64_t consumed_ = 0;               // presenter thread only
};

}  // namespace dc::gpu::vulkan
