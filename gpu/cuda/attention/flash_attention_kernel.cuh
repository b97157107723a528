// Device code of the tensor-core attention path (FlashAttention-2 forward on
// mma.sync): one block per (query tile, head, batch); each warp owns 16 query
// rows and walks the key/value tiles with an online softmax in f32.
//
// Per key tile, with single K and V buffers in shared memory (FA2's schedule):
//   wait K(t) | issue V(t) | S = Q·K(t)ᵀ, mask, softmax update | wait V(t) | issue K(t+1) | O += P·V(t)
// so the V load overlaps the scores and the next K load overlaps P·V.
// Scores are kept in log2 units (scale · log2 e folded in) so exp is one ex2.
// Rows are padded by 16 bytes in shared memory, which puts the 8 rows an
// ldmatrix reads in 8 distinct bank groups for every head dim used here.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "gpu/cuda/attention/flash_attention.h"
#include "gpu/cuda/attention/mma_sm80.cuh"
#include "gpu/cuda/common/convert.cuh"

namespace dc::gpu::flash_kernel {

// Tile shape for a head-dim bucket kD (a multiple of 16; the real head dim is
// ≤ kD, the rest zero-filled). Larger heads use fewer warps and a shorter key
// tile so registers (O is 16×kD f32 per warp) and shared memory stay in budget
// on sm_86/89 too (≤ 99 KB per block).
template <int kD>
struct Tile {
  static_assert(kD % 16 == 0 && kD <= 256, "head-dim bucket");
  static constexpr bool kQInRegisters = kD <= 128;
  static constexpr int kWarps = kD <= 128 ? 8 : 4;
  static constexpr int kThreads = 32 * kWarps;
  static constexpr int kBlockM = 16 * kWarps;
  static constexpr int kBlockN = kD <= 128 ? 64 : 32;
  static constexpr int kRowStride = kD + 8;  // elements
  static constexpr int kChunks = kD / 8;     // 16-byte chunks per row
  static constexpr int kSmemBytes = (kBlockM + 2 * kBlockN) * kRowStride * 2;
};

constexpr float kLog2e = 1.4426950408889634f;
constexpr float kNegInf = -__builtin_huge_valf();

// rows × kD tile of a token-major operand into shared memory (cp.async, 16 B per
// chunk); rows ≥ limit and chunks past the real head dim are zero-filled.
template <class T, int kD>
__device__ __forceinline__ void load_tile(T* smem, const T* g, int64_t token_stride, int64_t row0, int rows,
                                          int64_t limit, int valid_chunks) {
  using C = Tile<kD>;
  for (int c = threadIdx.x; c < rows * C::kChunks; c += C::kThreads) {
    const int r = c / C::kChunks, ch = c % C::kChunks;
    const bool valid = row0 + r < limit && ch < valid_chunks;
    const T* src = valid ? g + (row0 + r) * token_stride + ch * 8 : g;
    mma::cp_async_16(smem + r * C::kRowStride + ch * 8, src, valid);
  }
}

template <class T, int kD>
__global__ void __launch_bounds__(Tile<kD>::kThreads) flash_attention_kernel(AttentionParams p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  using C = Tile<kD>;
  constexpr int kNTiles = C::kBlockN / 8;  // 8-key column tiles of S
  constexpr int kDTiles = kD / 8;          // 8-wide column tiles of O
  constexpr int kKSteps = kD / 16;         // k-steps of Q·Kᵀ
  extern __shared__ __align__(16) unsigned char smem_raw[];
  T* s_q = reinterpret_cast<T*>(smem_raw);
  T* s_k = s_q + C::kBlockM * C::kRowStride;
  T* s_v = s_k + C::kBlockN * C::kRowStride;

  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int quad = lane & 3;
  // Heavier (later) causal tiles first: they start while the short ones fill the tail.
  const int64_t m_block = p.causal ? gridDim.x - 1 - blockIdx.x : blockIdx.x;
  const int64_t m0 = m_block * C::kBlockM;
  const int64_t h = blockIdx.y, b = blockIdx.z;
  const int dim = static_cast<int>(p.head_dim), valid_chunks = dim / 8;
  const T* qg = static_cast<const T*>(p.q) + b * p.q_strides.batch + h * p.q_strides.head;
  const T* kg = static_cast<const T*>(p.k) + b * p.k_strides.batch + h * p.k_strides.head;
  const T* vg = static_cast<const T*>(p.v) + b * p.v_strides.batch + h * p.v_strides.head;
  const uint8_t* key_mask = p.key_mask ? p.key_mask + b * p.kv_len : nullptr;
  const float* bias = p.bias ? p.bias + b * p.bias_strides[0] + h * p.bias_strides[1] : nullptr;

  // Keys past the block's last query are masked for every row under causal masking: skip their tiles.
  int64_t kv_end = p.kv_len;
  if (p.causal && m0 + C::kBlockM < kv_end) kv_end = m0 + C::kBlockM;
  const int n_tiles = static_cast<int>((kv_end + C::kBlockN - 1) / C::kBlockN);

  load_tile<T, kD>(s_q, qg, p.q_strides.token, m0, C::kBlockM, p.q_len, valid_chunks);
  if (n_tiles > 0) load_tile<T, kD>(s_k, kg, p.k_strides.token, 0, C::kBlockN, p.kv_len, valid_chunks);
  mma::cp_async_commit();

  const int64_t warp_m0 = m0 + warp * 16;
  const int64_t rows[2] = {warp_m0 + (lane >> 2), warp_m0 + (lane >> 2) + 8};  // this thread's two query rows
  const float scale_log2 = p.scale * kLog2e;
  float o[kDTiles][4];
#pragma unroll
  for (int d = 0; d < kDTiles; ++d) o[d][0] = o[d][1] = o[d][2] = o[d][3] = 0.0f;
  float row_max[2] = {kNegInf, kNegInf}, row_sum[2] = {0.0f, 0.0f};
  uint32_t q_frag[C::kQInRegisters ? kKSteps : 1][4];
  const T* q_row_addr = s_q + (warp * 16 + (lane & 15)) * C::kRowStride + (lane >> 4) * 8;  // ldmatrix A rows

  for (int t = 0; t < n_tiles; ++t) {
    const int64_t n0 = static_cast<int64_t>(t) * C::kBlockN;
    mma::cp_async_wait_all();
    __syncthreads();  // K(t) (and Q) landed; every warp finished P·V(t-1), so s_v is free
    load_tile<T, kD>(s_v, vg, p.v_strides.token, n0, C::kBlockN, p.kv_len, valid_chunks);
    mma::cp_async_commit();
    if constexpr (C::kQInRegisters) {
      if (t == 0) {
#pragma unroll
        for (int kk = 0; kk < kKSteps; ++kk) mma::ldmatrix_x4(q_frag[kk], q_row_addr + kk * 16);
      }
    }

    // S = Q·Kᵀ for the warp's 16 rows × kBlockN keys.
    float s[kNTiles][4];
#pragma unroll
    for (int j = 0; j < kNTiles; ++j) s[j][0] = s[j][1] = s[j][2] = s[j][3] = 0.0f;
    // lane → (matrix lane/8, row lane%8): matrices (keys +0, k +0), (+0, +8), (+8, +0), (+8, +8)
    const T* k_row_addr = s_k + (((lane >> 4) << 3) + (lane & 7)) * C::kRowStride + ((lane >> 3) & 1) * 8;
#pragma unroll
    for (int kk = 0; kk < kKSteps; ++kk) {
      uint32_t a[4];
      if constexpr (C::kQInRegisters) {
#pragma unroll
        for (int i = 0; i < 4; ++i) a[i] = q_frag[kk][i];
      } else {
        mma::ldmatrix_x4(a, q_row_addr + kk * 16);
      }
#pragma unroll
      for (int jp = 0; jp < kNTiles / 2; ++jp) {
        uint32_t bk[4];
        mma::ldmatrix_x4(bk, k_row_addr + jp * 16 * C::kRowStride + kk * 16);
        mma::mma_16816<T>(s[2 * jp], a, bk[0], bk[1]);
        mma::mma_16816<T>(s[2 * jp + 1], a, bk[2], bk[3]);
      }
    }

    // Scale into log2 units, add the bias, mask; element (j, e) is row rows[e/2], key n0 + 8j + 2·quad + e%2.
#pragma unroll
    for (int j = 0; j < kNTiles; ++j)
#pragma unroll
      for (int e = 0; e < 4; ++e) s[j][e] *= scale_log2;
    if (bias) {
#pragma unroll
      for (int j = 0; j < kNTiles; ++j)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int64_t row = rows[e >> 1], key = n0 + 8 * j + 2 * quad + (e & 1);
          if (row < p.q_len && key < p.kv_len)
            s[j][e] += kLog2e * bias[row * p.bias_strides[2] + key * p.bias_strides[3]];
        }
    }
    const bool needs_mask = n0 + C::kBlockN > p.kv_len || key_mask != nullptr ||
                            (p.causal && n0 + C::kBlockN - 1 > warp_m0);
    if (needs_mask) {
#pragma unroll
      for (int j = 0; j < kNTiles; ++j)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          const int64_t row = rows[e >> 1], key = n0 + 8 * j + 2 * quad + (e & 1);
          const bool ignored = key >= p.kv_len || (p.causal && key > row) || (key_mask && key_mask[key] == 0);
          if (ignored) s[j][e] = kNegInf;
        }
    }

    // Online softmax per row; the 4 lanes of a quad share a row.
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      float mx = row_max[r];
#pragma unroll
      for (int j = 0; j < kNTiles; ++j) mx = fmaxf(mx, fmaxf(s[j][2 * r], s[j][2 * r + 1]));
      mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
      mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
      // Nothing attendable yet: offset 0 keeps every exp at exp(-inf) = 0 (no inf - inf).
      const float offset = mx == kNegInf ? 0.0f : mx;
      const float correction = mma::exp2_approx(row_max[r] - offset);
      row_max[r] = mx;
      row_sum[r] *= correction;
#pragma unroll
      for (int d = 0; d < kDTiles; ++d) {
        o[d][2 * r] *= correction;
        o[d][2 * r + 1] *= correction;
      }
#pragma unroll
      for (int j = 0; j < kNTiles; ++j) {
        s[j][2 * r] = mma::exp2_approx(s[j][2 * r] - offset);
        s[j][2 * r + 1] = mma::exp2_approx(s[j][2 * r + 1] - offset);
        row_sum[r] += s[j][2 * r] + s[j][2 * r + 1];
      }
    }

    mma::cp_async_wait_all();
    __syncthreads();  // V(t) landed; every warp finished reading K(t)
    if (t + 1 < n_tiles) {
      load_tile<T, kD>(s_k, kg, p.k_strides.token, n0 + C::kBlockN, C::kBlockN, p.kv_len, valid_chunks);
      mma::cp_async_commit();
    }

    // O += P·V: the S accumulators are the A fragments of P (rounded to T, as flash attention does).
    // lane → matrices (keys +0, d +0), (+8, +0), (+0, +8), (+8, +8), read transposed
    const T* v_row_addr = s_v + (((lane >> 3) & 1) * 8 + (lane & 7)) * C::kRowStride + (lane >> 4) * 8;
#pragma unroll
    for (int kt = 0; kt < kNTiles / 2; ++kt) {
      const uint32_t a[4] = {mma::pack2<T>(s[2 * kt][0], s[2 * kt][1]), mma::pack2<T>(s[2 * kt][2], s[2 * kt][3]),
                             mma::pack2<T>(s[2 * kt + 1][0], s[2 * kt + 1][1]),
                             mma::pack2<T>(s[2 * kt + 1][2], s[2 * kt + 1][3])};
#pragma unroll
      for (int dp = 0; dp < kDTiles / 2; ++dp) {
        uint32_t bv[4];
        mma::ldmatrix_x4_trans(bv, v_row_addr + kt * 16 * C::kRowStride + dp * 16);
        mma::mma_16816<T>(o[2 * dp], a, bv[0], bv[1]);
        mma::mma_16816<T>(o[2 * dp + 1], a, bv[2], bv[3]);
      }
    }
  }
  mma::cp_async_wait_all();

  // Normalize and store; rows with no attendable key (sum 0) are zero.
#pragma unroll
  for (int r = 0; r < 2; ++r) {
    float sum = row_sum[r];
    sum += __shfl_xor_sync(0xffffffffu, sum, 1);
    sum += __shfl_xor_sync(0xffffffffu, sum, 2);
    const float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
    if (rows[r] >= p.q_len) continue;
    T* out = static_cast<T*>(p.out) + ((b * p.q_len + rows[r]) * p.heads + h) * p.head_dim;
#pragma unroll
    for (int d = 0; d < kDTiles; ++d) {
      const int col = 8 * d + 2 * quad;
      if (col < dim) *reinterpret_cast<uint32_t*>(out + col) = mma::pack2<T>(o[d][2 * r] * inv, o[d][2 * r + 1] * inv);
    }
  }
#endif
}

}  // namespace dc::gpu::flash_kernel
