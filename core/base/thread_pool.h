// A fixed pool of worker threads for CPU ops.
//
//   dc::parallel_for(0, rows, [&](int64_t begin, int64_t end) { ... });
//
// Work is split into contiguous chunks of at least `grain` items; the calling
// thread takes part. Nested calls run serially (no oversubscription).
#pragma once

#include <cstdint>
#include <functional>

namespace dc {

// Number of threads CPU ops use: DC_NUM_THREADS if set, else hardware concurrency.
int cpu_thread_count();

void parallel_for(int64_t begin, int64_t end, const std::function<void(int64_t, int64_t)>& body,
                  int64_t grain = 1);

}  // namespace dc
