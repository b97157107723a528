// Device code of the tensor-core attention path (FlashAttention-2 forward on
// mma.sync): one block per (query tile, head, batch); each warp owns 16 or 32
// query rows and walks the key/value tiles with an online softmax in f32.
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
// ≤ kD, the rest zero-filled). A warp owns kMTiles 16-row tiles, so every K/V
// fragment read from shared memory feeds kMTiles MMAs (FA2's 128×64 tile with
// 4 warps for D ≤ 128: shared-memory bandwidth, not the tensor cores, bounds a
// warp of 16 rows). Past 128 the O accumulator (16·kMTiles × kD f32 per warp)
// needs one row tile and 32-key tiles to stay in registers. Q stays in registers
// where it fits (D ≤ 64), else it is re-read per k-step. Shared memory stays
// ≤ 70 KB, within sm_86/89's 99 KB per block.
template <int kD>
struct Tile {
  static_assert(kD % 16 == 0 && kD <= 256, "head-dim bucket");
  static constexpr int kMTiles = kD <= 128 ? 2 : 1;
  static constexpr bool kQInRegisters = kD <= 64;
  static constexpr int kWarps = 4;
  static constexpr int kThreads = 32 * kWarps;
  static constexpr int kWarpRows = 16 * kMTiles;
  static constexpr int kBlockM = kWarpRows * kWarps;
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
__device__ __forceinline__ void load_tile(T* smem, const T* g, int64_t token_stride, int row0, int rows, int limit,
                                          int valid_chunks) {
  using C = Tile<kD>;
  for (int c = threadIdx.x; c < rows * C::kChunks; c += C::kThreads) {
    const int r = c / C::kChunks, ch = c % C::kChunks;
    const bool valid = row0 + r < limit && ch < valid_chunks;
    const T* src = valid ? g + static_cast<int64_t>(row0 + r) * token_stride + ch * 8 : g;
    mma::cp_async_16(smem + r * C::kRowStride + ch * 8, src, valid);
  }
}

// kMasked: the causal mask, bias and key mask are applied (their index math costs
// registers, so plain attention, FLUX's case, gets a variant without it; both
// handle a partial last key tile).
template <class T, int kD, bool kMasked>
__global__ void __launch_bounds__(Tile<kD>::kThreads) flash_attention_kernel(AttentionParams p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  using C = Tile<kD>;
  constexpr int kM = C::kMTiles;
  constexpr int kNTiles = C::kBlockN / 8;  // 8-key column tiles of S
  constexpr int kDTiles = kD / 8;          // 8-wide column tiles of O
  constexpr int kKSteps = kD / 16;         // k-steps of Q·Kᵀ
  extern __shared__ __align__(16) unsigned char smem_raw[];
  T* s_q = reinterpret_cast<T*>(smem_raw);
  T* s_k = s_q + C::kBlockM * C::kRowStride;
  T* s_v = s_k + C::kBlockN * C::kRowStride;

  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int quad = lane & 3;
  // Token counts fit in int (checked by the launcher); pointer offsets stay 64-bit.
  const int q_len = static_cast<int>(p.q_len), kv_len = static_cast<int>(p.kv_len);
  const bool causal = kMasked && p.causal;
  // Heavier (later) causal tiles first: they start while the short ones fill the tail.
  const int m_block = causal ? gridDim.x - 1 - blockIdx.x : blockIdx.x;
  const int m0 = m_block * C::kBlockM;
  const int64_t h = blockIdx.y, b = blockIdx.z;
  const int dim = static_cast<int>(p.head_dim), valid_chunks = dim / 8;
  const T* qg = static_cast<const T*>(p.q) + b * p.q_strides.batch + h * p.q_strides.head;
  const T* kg = static_cast<const T*>(p.k) + b * p.k_strides.batch + h * p.k_strides.head;
  const T* vg = static_cast<const T*>(p.v) + b * p.v_strides.batch + h * p.v_strides.head;
  const uint8_t* key_mask = kMasked && p.key_mask ? p.key_mask + b * p.kv_len : nullptr;
  const float* bias = kMasked && p.bias ? p.bias + b * p.bias_strides[0] + h * p.bias_strides[1] : nullptr;

  // Keys past the block's last query are masked for every row under causal masking: skip their tiles.
  int kv_end = kv_len;
  if (causal && m0 + C::kBlockM < kv_end) kv_end = m0 + C::kBlockM;
  const int n_tiles = (kv_end + C::kBlockN - 1) / C::kBlockN;

  load_tile<T, kD>(s_q, qg, p.q_strides.token, m0, C::kBlockM, q_len, valid_chunks);
  if (n_tiles > 0) load_tile<T, kD>(s_k, kg, p.k_strides.token, 0, C::kBlockN, kv_len, valid_chunks);
  mma::cp_async_commit();

  // Row tile mt of this warp covers rows warp_m0 + 16·mt + [0, 16); this thread holds
  // rows lane/4 and lane/4 + 8 of each (index r = 0, 1 below).
  const int warp_m0 = m0 + warp * C::kWarpRows;
  const float scale_log2 = p.scale * kLog2e;
  float o[kM][kDTiles][4];
  float row_max[kM][2], row_sum[kM][2];
#pragma unroll
  for (int mt = 0; mt < kM; ++mt) {
#pragma unroll
    for (int d = 0; d < kDTiles; ++d) o[mt][d][0] = o[mt][d][1] = o[mt][d][2] = o[mt][d][3] = 0.0f;
    row_max[mt][0] = row_max[mt][1] = kNegInf;
    row_sum[mt][0] = row_sum[mt][1] = 0.0f;
  }
  uint32_t q_frag[C::kQInRegisters ? kM : 1][C::kQInRegisters ? kKSteps : 1][4];
  // ldmatrix lane addresses. A (Q): matrices (rows +0, k +0), (+8, +0), (+0, +8), (+8, +8).
  const T* q_row_addr = s_q + (warp * C::kWarpRows + (lane & 15)) * C::kRowStride + (lane >> 4) * 8;
  // B (K, keys × k): matrices (keys +0, k +0), (+0, +8), (+8, +0), (+8, +8).
  const T* k_row_addr = s_k + (((lane >> 4) << 3) + (lane & 7)) * C::kRowStride + ((lane >> 3) & 1) * 8;
  // B (V, keys × d, read transposed): matrices (keys +0, d +0), (+8, +0), (+0, +8), (+8, +8).
  const T* v_row_addr = s_v + (((lane >> 3) & 1) * 8 + (lane & 7)) * C::kRowStride + (lane >> 4) * 8;

  for (int t = 0; t < n_tiles; ++t) {
    const int n0 = t * C::kBlockN;
    mma::cp_async_wait_all();
    __syncthreads();  // K(t) (and Q) landed; every warp finished P·V(t-1), so s_v is free
    load_tile<T, kD>(s_v, vg, p.v_strides.token, n0, C::kBlockN, kv_len, valid_chunks);
    mma::cp_async_commit();
    if constexpr (C::kQInRegisters) {
      if (t == 0) {
#pragma unroll
        for (int mt = 0; mt < kM; ++mt)
#pragma unroll
          for (int kk = 0; kk < kKSteps; ++kk)
            mma::ldmatrix_x4(q_frag[mt][kk], q_row_addr + mt * 16 * C::kRowStride + kk * 16);
      }
    }

    // S = Q·Kᵀ for the warp's rows × kBlockN keys; each K fragment feeds kM row tiles.
    float s[kM][kNTiles][4];
#pragma unroll
    for (int mt = 0; mt < kM; ++mt)
#pragma unroll
      for (int j = 0; j < kNTiles; ++j) s[mt][j][0] = s[mt][j][1] = s[mt][j][2] = s[mt][j][3] = 0.0f;
#pragma unroll
    for (int kk = 0; kk < kKSteps; ++kk) {
      uint32_t a[kM][4];
#pragma unroll
      for (int mt = 0; mt < kM; ++mt) {
        if constexpr (C::kQInRegisters) {
#pragma unroll
          for (int i = 0; i < 4; ++i) a[mt][i] = q_frag[mt][kk][i];
        } else {
          mma::ldmatrix_x4(a[mt], q_row_addr + mt * 16 * C::kRowStride + kk * 16);
        }
      }
#pragma unroll
      for (int jp = 0; jp < kNTiles / 2; ++jp) {
        uint32_t bk[4];
        mma::ldmatrix_x4(bk, k_row_addr + jp * 16 * C::kRowStride + kk * 16);
#pragma unroll
        for (int mt = 0; mt < kM; ++mt) {
          mma::mma_16816<T>(s[mt][2 * jp], a[mt], bk[0], bk[1]);
          mma::mma_16816<T>(s[mt][2 * jp + 1], a[mt], bk[2], bk[3]);
        }
      }
    }

    // Scale into log2 units, add the bias, mask. Element (mt, j, e) is query row
    // warp_m0 + 16·mt + lane/4 + 8·(e/2), key n0 + 8j + 2·quad + e%2.
#pragma unroll
    for (int mt = 0; mt < kM; ++mt)
#pragma unroll
      for (int j = 0; j < kNTiles; ++j)
#pragma unroll
        for (int e = 0; e < 4; ++e) s[mt][j][e] *= scale_log2;
    if (kMasked && bias) {
#pragma unroll
      for (int mt = 0; mt < kM; ++mt)
#pragma unroll
        for (int j = 0; j < kNTiles; ++j)
#pragma unroll
          for (int e = 0; e < 4; ++e) {
            const int row = warp_m0 + 16 * mt + (lane >> 2) + 8 * (e >> 1);
            const int key = n0 + 8 * j + 2 * quad + (e & 1);
            if (row < q_len && key < kv_len)
              s[mt][j][e] += kLog2e * bias[row * p.bias_strides[2] + key * p.bias_strides[3]];
          }
    }
    if (!kMasked && n0 + C::kBlockN > kv_len) {  // keys past the end (depend on the column only)
#pragma unroll
      for (int j = 0; j < kNTiles; ++j)
#pragma unroll
        for (int e = 0; e < 4; ++e)
          if (n0 + 8 * j + 2 * quad + (e & 1) >= kv_len) {
#pragma unroll
            for (int mt = 0; mt < kM; ++mt) s[mt][j][e] = kNegInf;
          }
    }
    const bool needs_mask =
        kMasked && (n0 + C::kBlockN > kv_len || key_mask != nullptr || (causal && n0 + C::kBlockN - 1 > warp_m0));
    if (needs_mask) {
#pragma unroll
      for (int mt = 0; mt < kM; ++mt)
#pragma unroll
        for (int j = 0; j < kNTiles; ++j)
#pragma unroll
          for (int e = 0; e < 4; ++e) {
            const int row = warp_m0 + 16 * mt + (lane >> 2) + 8 * (e >> 1);
            const int key = n0 + 8 * j + 2 * quad + (e & 1);
            const bool ignored = key >= kv_len || (causal && key > row) || (key_mask && key_mask[key] == 0);
            if (ignored) s[mt][j][e] = kNegInf;
          }
    }

    // Online softmax per row; the 4 lanes of a quad share a row.
#pragma unroll
    for (int mt = 0; mt < kM; ++mt) {
#pragma unroll
      for (int r = 0; r < 2; ++r) {
        float mx = row_max[mt][r];
#pragma unroll
        for (int j = 0; j < kNTiles; ++j) mx = fmaxf(mx, fmaxf(s[mt][j][2 * r], s[mt][j][2 * r + 1]));
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
        mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
        // Nothing attendable yet: offset 0 keeps every exp at exp(-inf) = 0 (no inf - inf).
        const float offset = mx == kNegInf ? 0.0f : mx;
        const float correction = mma::exp2_approx(row_max[mt][r] - offset);
        row_max[mt][r] = mx;
        row_sum[mt][r] *= correction;
#pragma unroll
        for (int d = 0; d < kDTiles; ++d) {
          o[mt][d][2 * r] *= correction;
          o[mt][d][2 * r + 1] *= correction;
        }
#pragma unroll
        for (int j = 0; j < kNTiles; ++j) {
          s[mt][j][2 * r] = mma::exp2_approx(s[mt][j][2 * r] - offset);
          s[mt][j][2 * r + 1] = mma::exp2_approx(s[mt][j][2 * r + 1] - offset);
          row_sum[mt][r] += s[mt][j][2 * r] + s[mt][j][2 * r + 1];
        }
      }
    }

    mma::cp_async_wait_all();
    __syncthreads();  // V(t) landed; every warp finished reading K(t)
    if (t + 1 < n_tiles) {
      load_tile<T, kD>(s_k, kg, p.k_strides.token, n0 + C::kBlockN, C::kBlockN, kv_len, valid_chunks);
      mma::cp_async_commit();
    }

    // O += P·V: the S accumulators are the A fragments of P (rounded to T, as flash
    // attention does); each V fragment feeds kM row tiles.
#pragma unroll
    for (int kt = 0; kt < kNTiles / 2; ++kt) {
      uint32_t a[kM][4];
#pragma unroll
      for (int mt = 0; mt < kM; ++mt) {
        a[mt][0] = mma::pack2<T>(s[mt][2 * kt][0], s[mt][2 * kt][1]);
        a[mt][1] = mma::pack2<T>(s[mt][2 * kt][2], s[mt][2 * kt][3]);
        a[mt][2] = mma::pack2<T>(s[mt][2 * kt + 1][0], s[mt][2 * kt + 1][1]);
        a[mt][3] = mma::pack2<T>(s[mt][2 * kt + 1][2], s[mt][2 * kt + 1][3]);
      }
#pragma unroll
      for (int dp = 0; dp < kDTiles / 2; ++dp) {
        uint32_t bv[4];
        mma::ldmatrix_x4_trans(bv, v_row_addr + kt * 16 * C::kRowStride + dp * 16);
#pragma unroll
        for (int mt = 0; mt < kM; ++mt) {
          mma::mma_16816<T>(o[mt][2 * dp], a[mt], bv[0], bv[1]);
          mma::mma_16816<T>(o[mt][2 * dp + 1], a[mt], bv[2], bv[3]);
        }
      }
    }
  }
  mma::cp_async_wait_all();

  // Normalize and store; rows with no attendable key (sum 0) are zero.
#pragma unroll
  for (int mt = 0; mt < kM; ++mt) {
#pragma unroll
    for (int r = 0; r < 2; ++r) {
      float sum = row_sum[mt][r];
      sum += __shfl_xor_sync(0xffffffffu, sum, 1);
      sum += __shfl_xor_sync(0xffffffffu, sum, 2);
      const float inv = sum > 0.0f ? 1.0f / sum : 0.0f;
      const int row = warp_m0 + 16 * mt + (lane >> 2) + 8 * r;
      if (row >= q_len) continue;
      T* out = static_cast<T*>(p.out) + ((b * p.q_len + row) * p.heads + h) * p.head_dim;
#pragma unroll
      for (int d = 0; d < kDTiles; ++d) {
        const int col = 8 * d + 2 * quad;
        if (col < dim)
          *reinterpret_cast<uint32_t*>(out + col) = mma::pack2<T>(o[mt][d][2 * r] * inv, o[mt][d][2 * r + 1] * inv);
      }
    }
  }
#endif
}

}  // namespace dc::gpu::flash_kernel
