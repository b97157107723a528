// CPU reference: strided copy with dtype conversion, fill.
#include <algorithm>
#include <cstring>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {
namespace {

// Element offset of row `r` (all dims but the last) in a tensor of `shape` with `t`'s strides.
int64_t row_offset(const Tensor& t, const Shape& shape, int64_t r) {
  int64_t off = t.offset(), rem = r;
  for (int k = static_cast<int>(shape.size()) - 2; k >= 0; --k) {
    off += (rem % shape[k]) * t.stride(k);
    rem /= shape[k];
  }
  return off;
}

}  // namespace

void copy_strided(const Tensor& dst, const Tensor& src) {
  const Shape& shape = dst.shape();
  const int64_t n = dst.numel();
  if (n == 0) return;
  const int nd = static_cast<int>(shape.size());
  const int64_t inner = nd ? shape[nd - 1] : 1;
  const int64_t s_inner = nd ? src.stride(nd - 1) : 1;
  const int64_t d_inner = nd ? dst.stride(nd - 1) : 1;
  const int64_t rows = n / inner;
  const void* s = src.storage()->data();
  void* d = dst.storage()->data();
  const DType sd = src.dtype(), dd = dst.dtype();
  const bool same = sd == dd && sd != DType::kI4;
  const size_t elem = static_cast<size_t>(dtype_bits(sd) / 8);
  parallel_for(0, rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t so = row_offset(src, shape, r), dof = row_offset(dst, shape, r);
      if (same && s_inner == 1 && d_inner == 1) {
        std::memcpy(static_cast<char*>(d) + dof * elem, static_cast<const char*>(s) + so * elem, inner * elem);
      } else {
        for (int64_t i = 0; i < inner; ++i)
          store_element(d, dd, dof + i * d_inner, load_element(s, sd, so + i * s_inner));
      }
    }
  }, std::max<int64_t>(1, 4096 / std::max<int64_t>(inner, 1)));
}

void fill(const Tensor& dst, float value) {
  void* d = dst.data_ptr();
  const DType dt = dst.dtype();
  parallel_for(0, dst.numel(), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) store_element(d, dt, i, value);
  }, 1 << 14);
}

}  // namespace dc::ops::cpu
