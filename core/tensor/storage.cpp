#include "core/tensor/storage.h"

#include <cstdlib>
#include <new>

#include "core/tensor/cuda_allocator.h"

namespace dc {

Result<std::shared_ptr<Storage>> Storage::allocate(size_t bytes, Device device) {
  const size_t request = bytes == 0 ? 1 : bytes;
  if (device.is_cpu()) {
    const size_t aligned = (request + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, aligned);
    if (!p) return Error::out_of_memory("cannot allocate " + std::to_string(bytes) + " bytes of host memory");
    std::shared_ptr<void> owner(p, [](void* q) { std::free(q); });
    return std::make_shared<Storage>(p, bytes, device, std::move(owner));
  }
  DC_TRY(void* p, detail::cuda_allocate(request, device.index));
  const int index = device.index;
  std::shared_ptr<void> owner(p, [request, index](void* q) { detail::cuda_release(q, request, index); });
  return std::make_shared<Storage>(p, bytes, device, std::move(owner));
}

}  // namespace dc
