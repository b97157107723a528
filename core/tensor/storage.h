// A block of bytes on one device, kept alive by an owner (an allocation, a
// memory-mapped file, a caller's buffer). Tensors share storage by shared_ptr.
#pragma once

#include <cstddef>
#include <memory>

#include "core/base/result.h"
#include "core/tensor/device.h"

namespace dc {

class Storage {
 public:
  // Wraps memory owned by `owner` (may be null for memory that outlives the storage).
  Storage(void* data, size_t bytes, Device device, std::shared_ptr<void> owner)
      : data_(data), bytes_(bytes), device_(device), owner_(std::move(owner)) {}

  // Allocates from the device's allocator (64-byte aligned on the CPU, the
  // caching pool on CUDA). Fails with kOutOfMemory / kNotSupported.
  static Result<std::shared_ptr<Storage>> allocate(size_t bytes, Device device);

  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }
  Device device() const { return device_; }

  // Points this storage at other memory of the same size (kept alive by `owner`),
  // so every tensor viewing it follows: block streaming (core/nn/block_streaming.h)
  // moves a block's weights between a host store and a device slot this way. The
  // caller orders it against work still reading the old memory.
  void rebind(void* data, Device device, std::shared_ptr<void> owner) {
    data_ = data;
    device_ = device;
    owner_ = std::move(owner);
  }

 private:
  void* data_;
  size_t bytes_;
  Device device_;
  std::shared_ptr<void> owner_;
};

}  // namespace dc
