// CPU reference: embedding rows copied bit for bit (out keeps the table's dtype).
#include <cstring>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"

namespace dc::ops::cpu {

void embedding(const Tensor& out, const Tensor& table, const Tensor& ids) {
  const int64_t n = ids.numel();
  const size_t row_bytes = static_cast<size_t>(table.size(1)) * dtype_bits(table.dtype()) / 8;
  const char* src = static_cast<const char*>(table.data_ptr());
  char* dst = static_cast<char*>(out.data_ptr());
  const int64_t* id = ids.data<int64_t>();  // validated by the front-end
  parallel_for(0, n, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) std::memcpy(dst + i * row_bytes, src + id[i] * row_bytes, row_bytes);
  }, 256);
}

}  // namespace dc::ops::cpu
