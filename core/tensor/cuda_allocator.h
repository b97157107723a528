// Caching allocator for device memory (private to core/tensor). Blocks are
// rounded to 512 B (small) or 2 MiB (large) and kept in size-ordered free
// lists, so a denoise loop with constant shapes stops calling cudaMalloc after
// its first step. All reuse happens in allocation order on one stream per
// process thread; a freed block is only handed out again to work queued after
// the free on the same stream, which stream order makes safe.
#pragma once

#include <cstddef>

#include "core/base/result.h"
#include "core/tensor/cuda_context.h"

namespace dc::detail {

Result<void*> cuda_allocate(size_t bytes, int device);
void cuda_release(void* ptr, size_t bytes, int device);

}  // namespace dc::detail
