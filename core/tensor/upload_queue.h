// UploadQueue: host -> device copies into a few reusable device slots, issued on
// a side stream so they overlap the compute stream's work, and ordered against it
// with one pair of events per slot (the copy into a slot waits until the compute
// stream released it; the compute stream waits until the copy landed). On the
// CPU the same calls are plain memcpy, so streaming code runs one path on both.
//
//   UploadQueue q(Device::cuda(), 2);
//   q.upload(0, slot0, host_block0, n);   // side stream
//   q.acquire(0);                         // compute stream waits for the copy
//   ... launch work reading slot0 ...
//   q.release(0);                         // the next upload into slot 0 waits for that work
//
// Uploads are asynchronous on CUDA: `src` must stay unchanged until they land
// (pinned memory from allocate_host_store makes them truly asynchronous).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "core/tensor/storage.h"

namespace dc {

// Host memory for weights that are uploaded again and again: page-locked when
// `device` is CUDA (so copies run asynchronously at full bus speed), plain
// aligned memory otherwise. The storage's device is the CPU.
Result<std::shared_ptr<Storage>> allocate_host_store(size_t bytes, Device device);

class UploadQueue {
 public:
  UploadQueue(Device device, int slots);
  ~UploadQueue();
  UploadQueue(const UploadQueue&) = delete;
  UploadQueue& operator=(const UploadQueue&) = delete;

  // Copies `bytes` of host memory `src` to `dst` (memory of the queue's device)
  // after the compute stream passed the last release(slot). Throws ErrorException.
  void upload(int slot, void* dst, const void* src, size_t bytes);
  // The compute stream (this thread's current stream) waits for the slot's last upload.
  void acquire(int slot);
  // The compute stream's work queued so far is the last to read the slot.
  void release(int slot);

 private:
  struct CudaState;
  Device device_;
  int slots_;
  std::unique_ptr<CudaState> cuda_;  // null on the CPU
};

}  // namespace dc
