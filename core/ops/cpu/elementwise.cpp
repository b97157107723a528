// CPU reference: pointwise ops, computed in f32 (like PyTorch's reduced-precision CPU kernels).
#include <cmath>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"
#include "core/ops/copy.h"

namespace dc::ops::cpu {
namespace {

float apply(Activation act, float x) {
  switch (act) {
    case Activation::kIdentity: return x;
    case Activation::kReLU: return x > 0 ? x : 0.0f;
    case Activation::kReLU6: return std::fmin(std::fmax(x, 0.0f), 6.0f);
    case Activation::kSiLU: return x / (1.0f + std::exp(-x));
    case Activation::kGELU: return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));
    case Activation::kGELUTanh: {
      const float inner = 0.7978845608028654f * (x + 0.044715f * x * x * x);
      return 0.5f * x * (1.0f + std::tanh(inner));
    }
    case Activation::kQuickGELU: return x / (1.0f + std::exp(-1.702f * x));
  }
  return x;
}

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
  F32View hv(hidden), gv(gate);
  F32Out o(out);
  parallel_for(0, out.numel(), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) o[i] = hv[i] * apply(act, gv[i]);
  }, kGrain);
  o.commit();
}

}  // namespace dc::ops::cpu
