// The CUDA half of the interop path (built only with DC_HAVE_CUDA): imports an
// InteropTarget's exported memory and timeline semaphore into CUDA and writes frames
// into it on a stream, following the target's frame protocol (interop_target.h).
//
//   // UI thread: presenter created with options.device.uuid = *cuda_device_uuid(0)
//   DC_VK_TRY(InteropTarget* target, presenter->interop_target({w, h, InteropFormat::kRgba32F}));
//   // engine thread
//   DC_VK_TRY(auto frame, CudaInteropFrame::import(*target, /*cuda_device=*/0));
//   DC_VK_TRY(bool written, frame->write(d_rgba, w * 16, cudaMemcpyDeviceToDevice, stream));
//   // written == false: the presenter has not shown the previous frame yet; this one was dropped
//
// Own kernels write between begin() and end() into data() (row_pitch() bytes per row, RGBA).
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <memory>
#include <optional>

#include "gpu/vulkan/common/result.h"
#include "gpu/vulkan/device/device.h"
#include "gpu/vulkan/interop/interop_target.h"

namespace dc::gpu::vulkan {

// The UUID CUDA reports for `cuda_device`, for DeviceOptions::uuid.
Result<DeviceUuid> cuda_device_uuid(int cuda_device);

class CudaInteropFrame {
 public:
  // `target` must outlive this object; destroy this object before the presenter replaces or
  // drops its interop target.
  static Result<std::unique_ptr<CudaInteropFrame>> import(InteropTarget& target, int cuda_device);
  ~CudaInteropFrame();
  CudaInteropFrame(const CudaInteropFrame&) = delete;
  CudaInteropFrame& operator=(const CudaInteropFrame&) = delete;

  void* data() const { return data_; }  // device pointer to the first row
  size_t row_pitch() const { return row_pitch_; }
  uint32_t width() const { return width_; }
  uint32_t height() const { return height_; }
  InteropFormat format() const { return format_; }

  // Starts a frame: false (nothing queued) when the presenter has not consumed the last one;
  // true after queueing, on `stream`, the wait for the presenter's copy of the previous frame.
  Result<bool> begin(cudaStream_t stream);
  // Queues the signal that the frame is written and publishes it to the presenter.
  Status end(cudaStream_t stream);
  // begin + one cudaMemcpy2DAsync of `src` (RGBA rows, `src_pitch` bytes apart; device or host
  // memory per `kind`) + end. False when the frame was dropped (see begin).
  Result<bool> write(const void* src, size_t src_pitch, cudaMemcpyKind kind, cudaStream_t stream);

 private:
  CudaInteropFrame() = default;

  InteropTarget* target_ = nullptr;
  int device_ = 0;
  cudaExternalMemory_t memory_ = nullptr;
  cudaExternalSemaphore_t semaphore_ = nullptr;
  void* data_ = nullptr;
  size_t row_pitch_ = 0;
  uint32_t width_ = 0;
  uint32_t height_ = 0;
  InteropFormat format_ = InteropFormat::kRgba32F;
  std::optional<FrameTicket> ticket_;  // between begin() and end()
};

}  // namespace dc::gpu::vulkan
