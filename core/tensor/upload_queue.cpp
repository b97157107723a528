#include "core/tensor/upload_queue.h"

#include <cstring>
#include <string>

#include "core/base/assert.h"
#include "core/tensor/cuda_context.h"

#ifdef DC_HAVE_CUDA
#include <cuda_runtime_api.h>

#include "gpu/cuda/common/runtime.h"
#endif

namespace dc {

#ifdef DC_HAVE_CUDA

namespace {
[[noreturn]] void throw_cuda(const std::string& what, const std::string& error) {
  throw ErrorException(Error::internal("upload queue: " + what + ": " + error));
}
}  // namespace

struct UploadQueue::CudaState {
  gpu::Stream side;
  std::vector<gpu::Event> uploaded, released;
};

Result<std::shared_ptr<Storage>> allocate_host_store(size_t bytes, Device device) {
  if (!device.is_cuda()) return Storage::allocate(bytes, Device::cpu());
  DC_TRY_STATUS(require_cuda());
  void* p = nullptr;
  if (cudaHostAlloc(&p, bytes == 0 ? 1 : bytes, cudaHostAllocDefault) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky-free error state of the failed call
    return Error::out_of_memory("cannot allocate " + std::to_string(bytes >> 20) + " MiB of page-locked host memory");
  }
  std::shared_ptr<void> owner(p, [](void* q) { cudaFreeHost(q); });
  return std::make_shared<Storage>(p, bytes, Device::cpu(), std::move(owner));
}

UploadQueue::UploadQueue(Device device, int slots) : device_(device), slots_(slots) {
  DC_CHECK(slots > 0, "UploadQueue: " << slots << " slots");
  if (!device.is_cuda()) return;
  require_cuda().value_or_throw();
  cuda_ = std::make_unique<CudaState>();
  for (int i = 0; i < slots; ++i) {
    cuda_->uploaded.emplace_back();
    cuda_->released.emplace_back();
  }
}

UploadQueue::~UploadQueue() {
  // The side stream may still copy into slots the owner frees next.
  if (cuda_) gpu::stream_synchronize(cuda_->side.get());
}

void UploadQueue::upload(int slot, void* dst, const void* src, size_t bytes) {
  DC_CHECK(slot >= 0 && slot < slots_, "UploadQueue: slot " << slot << " of " << slots_);
  if (!cuda_) {
    std::memcpy(dst, src, bytes);
    return;
  }
  cudaStream_t side = cuda_->side.get();
  // An event never recorded counts as complete: the first upload into a slot waits for nothing.
  if (cudaStreamWaitEvent(side, cuda_->released[slot].get(), 0) != cudaSuccess) {
    throw_cuda("wait for the slot's release", cudaGetErrorString(cudaGetLastError()));
  }
  if (std::string e = gpu::memcpy_async(dst, src, bytes, cudaMemcpyHostToDevice, side); !e.empty()) {
    throw_cuda("host to device copy", e);
  }
  cuda_->uploaded[slot].record(side);
}

void UploadQueue::acquire(int slot) {
  DC_CHECK(slot >= 0 && slot < slots_, "UploadQueue: slot " << slot << " of " << slots_);
  if (!cuda_) return;
  auto compute = static_cast<cudaStream_t>(current_cuda_stream());
  if (cudaStreamWaitEvent(compute, cuda_->uploaded[slot].get(), 0) != cudaSuccess) {
    throw_cuda("wait for the slot's upload", cudaGetErrorString(cudaGetLastError()));
  }
}

void UploadQueue::release(int slot) {
  DC_CHECK(slot >= 0 && slot < slots_, "UploadQueue: slot " << slot << " of " << slots_);
  if (!cuda_) return;
  cuda_->released[slot].record(static_cast<cudaStream_t>(current_cuda_stream()));
}

#else

struct UploadQueue::CudaState {};

Result<std::shared_ptr<Storage>> allocate_host_store(size_t bytes, Device device) {
  if (device.is_cuda()) return Error::not_supported("page-locked host memory needs a CUDA build");
  return Storage::allocate(bytes, Device::cpu());
}

UploadQueue::UploadQueue(Device device, int slots) : device_(device), slots_(slots) {
  DC_CHECK(slots > 0, "UploadQueue: " << slots << " slots");
  if (device.is_cuda()) require_cuda().value_or_throw();
}

UploadQueue::~UploadQueue() = default;

void UploadQueue::upload(int slot, void* dst, const void* src, size_t bytes) {
  DC_CHECK(slot >= 0 && slot < slots_, "UploadQueue: slot " << slot << " of " << slots_);
  std::memcpy(dst, src, bytes);
}
void UploadQueue::acquire(int slot) { DC_CHECK(slot >= 0 && slot < slots_, "UploadQueue: slot " << slot); }
void UploadQueue::release(int slot) { DC_CHECK(slot >= 0 && slot < slots_, "UploadQueue: slot " << slot); }

#endif

}  // namespace dc
