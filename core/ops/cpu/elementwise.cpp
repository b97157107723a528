// CPU reference: pointwise ops, computed in f32 (like PyTorch's reduced-precision CPU kernels).
#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/base/assert.h"
#include "core/ops/copy.h"
#include "core/ops/op_util.h"

namespace dc::ops::cpu {
namespace {

float apply(Activation act, float x) { return apply_activation(act, x); }

constexpr int64_t kGrain = 1 << 14;

}  // namespace

void binary(const Tensor& out, const Tensor& a, const Tensor& b, BinaryOp op) {
  F32View av(a);
  // b arrives broadcast (strides may be 0): materialize it as f32 in a's shape.
  Tensor bc = Tensor::empty(a.shape(), DType::kF32);
  copy_strided(bc, b);
  const float* bv = bc.data<float>();
  F32Out o(out);
  parallel_for(0, out.numel(), [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; ++i) {
      switch (op) {
        case BinaryOp::kAdd: o[i] = av[i] + bv[i]; break;
        case BinaryOp::kSub: o[i] = av[i] - bv[i]; break;
        case BinaryOp::kMul: o[i] = av[i] * bv[i]; break;
      }
    }
  }, kGrain);
  o.commit();
}

void scale(const Tensor& out, const Tensor& a, float s) {
  F32View av(a);
  F32Out o(out);
  parallel_for(0, out.numel(), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) o[i] = av[i] * s;
  }, kGrain);
  o.commit();
}

void activation(const Tensor& out, const Tensor& x, Activation act) {
  F32View xv(x);
  F32Out o(out);
  parallel_for(0, out.numel(), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) o[i] = apply(act, xv[i]);
  }, kGrain);
  o.commit();
}

void gated_activation(const Tensor& out, const Tensor& hidden, const Tensor& gate, Activation act) {
  // hidden and gate are row views (detail::row_view) with equal strides; out is contiguous.
  const auto rv = detail::row_view(hidden);
  DC_ASSERT(rv && gate.strides() == hidden.strides() && out.is_contiguous(), "gated_activation: bad operand layout");
  const int64_t cols = rv->cols, stride = rv->row_stride;
  const void* h = hidden.data_ptr();
  const void* g = gate.data_ptr();
  const DType dt = hidden.dtype();
  F32Out o(out);
  parallel_for(0, rv->rows * cols, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t at = (i / cols) * stride + i % cols;
      o[i] = static_cast<float>(load_element(h, dt, at)) * apply(act, static_cast<float>(load_element(g, dt, at)));
    }
  }, kGrain);
  o.commit();
}

}  // namespace dc::ops::cpu
