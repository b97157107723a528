#include "gpu/vulkan/interop/cuda_interop.h"

#include <unistd.h>

#include <cstring>
#include <string>

namespace dc::gpu::vulkan {
namespace {

Status cuda_check(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return {};
  cudaGetLastError();  // clear the non-sticky error so the next call reports its own
  std::string message = std::string(what) + " failed: " + cudaGetErrorName(e) + ": " + cudaGetErrorString(e);
  if (e == cudaErrorMemoryAllocation) return Error::out_of_memory(std::move(message));
  return Error::internal(std::move(message));
}

// Makes `device` current for the scope (the engine thread may have another one current).
class DeviceScope {
 public:
  explicit DeviceScope(int device) {
    cudaGetDevice(&previous_);
    if (previous_ != device) cudaSetDevice(device);
  }
  ~DeviceScope() { cudaSetDevice(previous_); }

 private:
  int previous_ = 0;
};

}  // namespace

Result<DeviceUuid> cuda_device_uuid(int cuda_device) {
  cudaDeviceProp props{};
  DC_VK_TRY_STATUS(cuda_check(cudaGetDeviceProperties(&props, cuda_device), "cudaGetDeviceProperties"));
  DeviceUuid uuid;
  static_assert(sizeof(props.uuid.bytes) == VK_UUID_SIZE);
  std::memcpy(uuid.data(), props.uuid.bytes, uuid.size());
  return uuid;
}

Result<std::unique_ptr<CudaInteropFrame>> CudaInteropFrame::import(InteropTarget& target, int cuda_device) {
  if (!target.options().export_semaphore)
    return Error::invalid_argument("the interop target was made without an exported semaphore; CUDA needs one "
                                   "(InteropTargetOptions::export_semaphore)");
  DC_VK_TRY(InteropHandles handles, target.export_handles());
  DeviceScope scope(cuda_device);
  std::unique_ptr<CudaInteropFrame> f(new CudaInteropFrame());
  f->target_ = &target;
  f->device_ = cuda_device;
  f->row_pitch_ = handles.row_pitch;
  f->width_ = handles.width;
  f->height_ = handles.height;
  f->format_ = handles.format;

  // On success CUDA owns the fd; on failure it is ours to close.
  cudaExternalMemoryHandleDesc memory_desc{};
  memory_desc.type = cudaExternalMemoryHandleTypeOpaqueFd;
  memory_desc.handle.fd = handles.memory_fd;
  memory_desc.size = handles.allocation_size;
  memory_desc.flags = handles.dedicated ? cudaExternalMemoryDedicated : 0;
  Status s = cuda_check(cudaImportExternalMemory(&f->memory_, &memory_desc), "cudaImportExternalMemory");
  if (!s) {
    ::close(handles.memory_fd);
    ::close(handles.semaphore_fd);
    return std::move(s).error();
  }
  cudaExternalSemaphoreHandleDesc semaphore_desc{};
  semaphore_desc.type = cudaExternalSemaphoreHandleTypeTimelineSemaphoreFd;
  semaphore_desc.handle.fd = handles.semaphore_fd;
  s = cuda_check(cudaImportExternalSemaphore(&f->semaphore_, &semaphore_desc), "cudaImportExternalSemaphore");
  if (!s) {
    ::close(handles.semaphore_fd);
    return std::move(s).error();
  }
  cudaExternalMemoryBufferDesc buffer_desc{};
  buffer_desc.offset = 0;
  buffer_desc.size = handles.buffer_bytes;
  DC_VK_TRY_STATUS(cuda_check(cudaExternalMemoryGetMappedBuffer(&f->data_, f->memory_, &buffer_desc),
                              "cudaExternalMemoryGetMappedBuffer"));
  return f;
}

CudaInteropFrame::~CudaInteropFrame() {
  DeviceScope scope(device_);
  if (ticket_) target_->abandon(*ticket_);
  // Frames queued on streams may still use the mapping: let them finish first.
  cudaDeviceSynchronize();
  if (data_) cudaFree(data_);
  if (semaphore_) cudaDestroyExternalSemaphore(semaphore_);
  if (memory_) cudaDestroyExternalMemory(memory_);
}

Result<bool> CudaInteropFrame::begin(cudaStream_t stream) {
  if (ticket_) return Error::invalid_argument("CudaInteropFrame::begin twice without end");
  std::optional<FrameTicket> ticket = target_->try_begin_frame();
  if (!ticket) return false;
  DeviceScope scope(device_);
  cudaExternalSemaphoreWaitParams wait{};
  wait.params.fence.value = ticket->wait_value;
  const Status s = cuda_check(cudaWaitExternalSemaphoresAsync(&semaphore_, &wait, 1, stream),
                              "cudaWaitExternalSemaphoresAsync");
  if (!s) {
    target_->abandon(*ticket);
    return s.error();
  }
  ticket_ = ticket;
  return true;
}

Status CudaInteropFrame::end(cudaStream_t stream) {
  if (!ticket_) return Error::invalid_argument("CudaInteropFrame::end without a successful begin");
  DeviceScope scope(device_);
  cudaExternalSemaphoreSignalParams signal{};
  signal.params.fence.value = ticket_->signal_value;
  const Status s = cuda_check(cudaSignalExternalSemaphoresAsync(&semaphore_, &signal, 1, stream),
                              "cudaSignalExternalSemaphoresAsync");
  if (!s) {
    target_->abandon(*ticket_);
    ticket_.reset();
    return s;
  }
  target_->publish(*ticket_);
  ticket_.reset();
  return {};
}

Result<bool> CudaInteropFrame::write(const void* src, size_t src_pitch, cudaMemcpyKind kind, cudaStream_t stream) {
  const size_t row_bytes = static_cast<size_t>(width_) * interop_pixel_bytes(format_);
  if (!src) return Error::invalid_argument("CudaInteropFrame::write: null source");
  if (src_pitch < row_bytes)
    return Error::invalid_argument("CudaInteropFrame::write: source pitch " + std::to_string(src_pitch) +
                                   " bytes is smaller than a row (" + std::to_string(row_bytes) + ")");
  DC_VK_TRY(bool started, begin(stream));
  if (!started) return false;
  DeviceScope scope(device_);
  const Status copied = cuda_check(cudaMemcpy2DAsync(data_, row_pitch_, src, src_pitch, row_bytes, height_, kind, stream),
                                   "cudaMemcpy2DAsync into the interop buffer");
  // Signal even after a failed copy: the presenter would otherwise wait on a value never reached.
  const Status ended = end(stream);
  if (!copied) return copied.error();
  if (!ended) return ended.error();
  return true;
}

}  // namespace dc::gpu::vulkan
