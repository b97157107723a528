// CPU reference: dense softmax attention over token-major q [B, Lq, H, D],
// k/v [B, Lk, H, D]. Scores, probabilities and the output stay in f32;
// nothing is rounded to the activation dtype before the output. The two
// products run through OpenBLAS on blocks of query rows of one (batch, head),
// reading q/k/v in place through their row stride H·D; the softmax between
// them sums in f64.
#include <cblas.h>

#include <algorithm>
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

// Query rows per block: bounds the score block to about 16M floats (64 MiB).
int64_t row_block(int64_t lq, int64_t lk) { return std::max<int64_t>(1, std::min(lq, (int64_t{1} << 24) / lk)); }

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
  float* op = o.data();
  constexpr float kMasked = -std::numeric_limits<float>::infinity();
  const int row_stride = static_cast<int>(heads * dim);  // token-major: consecutive tokens of one head
  const int64_t block = row_block(lq, lk);
  std::vector<float> scores(static_cast<size_t>(block * lk));

  // Blocks of query rows of one (batch, head) in turn: OpenBLAS threads the two
  // products, the pool the softmax rows between them.
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t h = 0; h < heads; ++h) {
      for (int64_t i0 = 0; i0 < lq; i0 += block) {
        const int64_t rows = std::min(block, lq - i0);
        const float* q0 = qp + ((b * lq + i0) * heads + h) * dim;
        const float* k0 = kp + (b * lk * heads + h) * dim;
        const float* v0 = vp + (b * lk * heads + h) * dim;
        // S = scale · Q Kᵀ
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(lk),
                    static_cast<int>(dim), scale, q0, row_stride, k0, row_stride, 0.0f, scores.data(),
                    static_cast<int>(lk));
        parallel_for(0, rows, [&](int64_t r0, int64_t r1) {
          for (int64_t r = r0; r < r1; ++r) {
            const int64_t i = i0 + r;
            float* s = scores.data() + r * lk;
            float max_score = kMasked;
            for (int64_t j = 0; j < lk; ++j) {
              if ((causal && j > i) || (mp && mp[b * lk + j] == 0)) {
                s[j] = kMasked;
                continue;
              }
              if (bp) s[j] += bp[b * bias.stride(0) + h * bias.stride(1) + i * bias.stride(2) + j * bias.stride(3)];
              max_score = std::max(max_score, s[j]);
            }
            // No attendable key (all masked, or every score -inf): the output row is zero.
            double sum = 0;
            for (int64_t j = 0; j < lk; ++j) {
              s[j] = (max_score == kMasked || s[j] == kMasked) ? 0.0f : std::exp(s[j] - max_score);
              sum += s[j];
            }
            const float inv = sum > 0 ? static_cast<float>(1.0 / sum) : 0.0f;
            for (int64_t j = 0; j < lk; ++j) s[j] *= inv;
          }
        }, 8);
        // O = P V, written straight into the token-major output rows.
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(rows), static_cast<int>(dim),
                    static_cast<int>(lk), 1.0f, scores.data(), static_cast<int>(lk), v0, row_stride, 0.0f,
                    op + ((b * lq + i0) * heads + h) * dim, row_stride);
      }
    }
  }
  o.commit();
}

}  // namespace dc::ops::cpu
