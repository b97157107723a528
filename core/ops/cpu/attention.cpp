// CPU reference: dense softmax attention over token-major q [B, Lq, H, D],
// k/v [B, Lk, H, D]. Scores and probabilities stay in f32 (dot products and
// sums in f64); nothing is rounded to the activation dtype before the output.
#include <cmath>
#include <limits>
#include <vector>

#include "core/base/thread_pool.h"
#include "core/ops/backend.h"
#include "core/ops/cpu/cpu_util.h"

namespace dc::ops::cpu {
namespace {

// A contiguous f32 copy of a strided tensor (the operand itself when it already is one).
Tensor f32_contiguous(const Tensor& t) {
  if (t.dtype() == DType::kF32 && t.is_contiguous()) return t;
  Tensor c = Tensor::empty(t.shape(), DType::kF32);
  copy_strided(c, t);
  return c;
}

}  // namespace

void attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v, float scale, bool causal,
               const Tensor& bias, const Tensor& key_mask) {
  const int64_t batch = q.size(0), lq = q.size(1), heads = q.size(2), dim = q.size(3), lk = k.size(1);
  const Tensor qf = f32_contiguous(q), kf = f32_contiguous(k), vf = f32_contiguous(v);
  const float* qp = qf.data<float>();
  const float* kp = kf.data<float>();
  const float* vp = vf.data<float>();
  const float* bp = bias.defined() ? bias.data<float>() : nullptr;
  const uint8_t* mp = key_mask.defined() ? key_mask.data<uint8_t>() : nullptr;
  F32Out o(out);
  constexpr float kMasked = -std::numeric_limits<float>::infinity();

  // One task per query row (b, i, h); rows are written to disjoint outputs.
  parallel_for(0, batch * lq * heads, [&](int64_t r0, int64_t r1) {
    std::vector<float> scores(static_cast<size_t>(lk));
    std::vector<double> acc(static_cast<size_t>(dim));
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t h = r % heads, i = (r / heads) % lq, b = r / (heads * lq);
      const float* qr = qp + r * dim;  // [B, Lq, H, D] contiguous: row r
      float max_score = kMasked;
      for (int64_t j = 0; j < lk; ++j) {
        const bool ignored = (causal && j > i) || (mp && mp[b * lk + j] == 0);
        if (ignored) {
          scores[j] = kMasked;
          continue;
        }
        const float* kr = kp + ((b * lk + j) * heads + h) * dim;
        double dot = 0;
        for (int64_t d = 0; d < dim; ++d) dot += static_cast<double>(qr[d]) * kr[d];
        float s = static_cast<float>(dot) * scale;
        if (bp) s += bp[b * bias.stride(0) + h * bias.stride(1) + i * bias.stride(2) + j * bias.stride(3)];
        scores[j] = s;
        if (s > max_score) max_score = s;
      }
      std::fill(acc.begin(), acc.end(), 0.0);
      double sum = 0;
      // No attendable key (all masked, or every score -inf): the output row is zero.
      if (max_score != kMasked) {
        for (int64_t j = 0; j < lk; ++j) {
          if (scores[j] == kMasked) continue;
          const float p = std::exp(scores[j] - max_score);
          sum += p;
          const float* vr = vp + ((b * lk + j) * heads + h) * dim;
          for (int64_t d = 0; d < dim; ++d) acc[d] += static_cast<double>(p) * vr[d];
        }
      }
      const double inv = sum > 0 ? 1.0 / sum : 0.0;
      for (int64_t d = 0; d < dim; ++d) o[r * dim + d] = static_cast<float>(acc[d] * inv);
    }
  }, 16);
  o.commit();
}

}  // namespace dc::ops::cpu
