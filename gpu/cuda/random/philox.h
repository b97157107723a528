// Philox-4x32-10 and the number formats DC Studio draws from it. Shared by the
// CPU reference (core/ops/cpu/random.cpp, plain C++) and the CUDA kernel
// (gpu/cuda/random), so a seed gives the same bits on both.
//
//   uint32_t w[4];
//   philox::generate(seed, i / 4, w);                 // words of element group i/4
//   float u = philox::uniform(w[i % 4]);               // element i of rand(seed)
//   float z = philox::normal_element(seed, i);         // element i of randn(seed)
//
// Exact definition (element i of a tensor drawn with 64-bit seed s, i counting
// the tensor's elements in row-major order from 0):
//   key     = (k0, k1) = (s & 0xffffffff, s >> 32)
//   g       = i / 4 (64-bit), counter = (g & 0xffffffff, g >> 32, 0, 0)
//   (w0, w1, w2, w3) = Philox4x32-10(counter, key), exactly as Random123:
//     round:   (c0, c1, c2, c3) -> (hi(B*c2) ^ c1 ^ k0, lo(B*c2), hi(A*c0) ^ c3 ^ k1, lo(A*c0))
//              with A = 0xD2511F53, B = 0xCD9E8D57 (32x32 -> 64-bit products);
//     10 rounds, the key bumped by (0x9E3779B9, 0xBB67AE85) between rounds.
//     Known answer: counter 0, key 0 -> 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
//   uniform [0, 1):   rand[i] = float(w_{i%4} >> 8) * 2^-24   (exact)
//   normal (Box-Muller on word pairs (w0, w1) and (w2, w3) of the group):
//     for element i with j = i % 4, pair (a, b) = (w0, w1) if j < 2 else (w2, w3):
//       u1 = float((a >> 8) + 1) * 2^-24                        in (0, 1], exact
//       k  = b >> 8                                              angle 2*pi*k*2^-24
//       r  = sqrt(-2 * log(u1))
//       randn[i] = r * cos(angle) if j is even, r * sin(angle) if j is odd
//   log, sin and cos are the single-precision polynomial routines below, written
//   with explicit fma / correctly rounded + * sqrt only, so host and device
//   produce identical bits (max error about 2 ulp against the exact functions).
//
// Build requirements for bit-identical host results: no -ffast-math and no
// floating-point contraction in this header (GCC: handled by the pragma below;
// clang: by `#pragma clang fp contract(off)` in each function). Device code
// uses the __f*_rn intrinsics, which nvcc never contracts, even under
// --use_fast_math.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define DC_PHILOX_FN __host__ __device__ __forceinline__
#else
#define DC_PHILOX_FN inline
#endif

#if defined(__clang__) && !defined(__CUDA_ARCH__)
#define DC_PHILOX_NO_CONTRACT _Pragma("clang fp contract(off)")
#else
#define DC_PHILOX_NO_CONTRACT
#endif

#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

namespace dc::philox {

constexpr uint32_t kMulA = 0xD2511F53u;
constexpr uint32_t kMulB = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u;
constexpr uint32_t kWeyl1 = 0xBB67AE85u;
constexpr int kRounds = 10;

// ---- correctly rounded scalar operations, identical on host and device ----
DC_PHILOX_FN float fma_rn(float a, float b, float c) {
#if defined(__CUDA_ARCH__)
  return __fmaf_rn(a, b, c);
#else
  return std::fma(a, b, c);
#endif
}
DC_PHILOX_FN float mul_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}
DC_PHILOX_FN float add_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}
DC_PHILOX_FN float sqrt_rn(float a) {
#if defined(__CUDA_ARCH__)
  return __fsqrt_rn(a);
#else
  return std::sqrt(a);
#endif
}
DC_PHILOX_FN uint32_t float_bits(float f) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(f);
#else
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
#endif
}
DC_PHILOX_FN float bits_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(u);
#else
  float f;
  std::memcpy(&f, &u, 4);
  return f;
#endif
}

// ---- the generator ----
// Philox4x32 with 10 rounds on counter c[4] and key k[2] (Random123's philox4x32_10).
DC_PHILOX_FN void philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < kRounds; ++r) {
    if (r > 0) {
      k0 += kWeyl0;
      k1 += kWeyl1;
    }
    const uint64_t pa = static_cast<uint64_t>(kMulA) * c0;
    const uint64_t pb = static_cast<uint64_t>(kMulB) * c2;
    const uint32_t n0 = static_cast<uint32_t>(pb >> 32) ^ c1 ^ k0;
    const uint32_t n1 = static_cast<uint32_t>(pb);
    const uint32_t n2 = static_cast<uint32_t>(pa >> 32) ^ c3 ^ k1;
    const uint32_t n3 = static_cast<uint32_t>(pa);
    c0 = n0, c1 = n1, c2 = n2, c3 = n3;
  }
  out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}

// The four words of element group `group` (elements 4*group .. 4*group+3) for `seed`.
DC_PHILOX_FN void generate(uint64_t seed, uint64_t group, uint32_t out[4]) {
  const uint32_t counter[4] = {static_cast<uint32_t>(group), static_cast<uint32_t>(group >> 32), 0u, 0u};
  const uint32_t key[2] = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  philox4x32_10(counter, key, out);
}

// ---- formats ----
DC_PHILOX_FN float uniform(uint32_t w) { return static_cast<float>(w >> 8) * 0x1p-24f; }

// Natural log of x for normal positive x (Cephes logf scheme, ~1 ulp).
DC_PHILOX_FN float log_f32(float x) {
  DC_PHILOX_NO_CONTRACT
  const uint32_t bits = float_bits(x);
  int e = static_cast<int>(bits >> 23) - 126;
  float m = bits_float((bits & 0x007fffffu) | 0x3f000000u);  // x = m * 2^e, m in [0.5, 1)
  float f;
  if (m < 0.707106781186547524f) {
    e -= 1;
    f = add_rn(add_rn(m, m), -1.0f);  // exact (Sterbenz)
  } else {
    f = add_rn(m, -1.0f);  // exact
  }
  const float z = mul_rn(f, f);
  float p = 7.0376836292e-2f;
  p = fma_rn(p, f, -1.1514610310e-1f);
  p = fma_rn(p, f, 1.1676998740e-1f);
  p = fma_rn(p, f, -1.2420140846e-1f);
  p = fma_rn(p, f, 1.4249322787e-1f);
  p = fma_rn(p, f, -1.6668057665e-1f);
  p = fma_rn(p, f, 2.0000714765e-1f);
  p = fma_rn(p, f, -2.4999993993e-1f);
  p = fma_rn(p, f, 3.3333331174e-1f);
  const float fe = static_cast<float>(e);
  float y = mul_rn(mul_rn(p, f), z);
  y = fma_rn(fe, -2.12194440e-4f, y);
  y = fma_rn(-0.5f, z, y);
  float r = add_rn(f, y);
  return fma_rn(fe, 0.693359375f, r);
}

// sin and cos of 2*pi*k*2^-24 for k in [0, 2^24): exact reduction to an octant,
// then Cephes sinf/cosf polynomials on [0, pi/4].
DC_PHILOX_FN void sincos_turns24(uint32_t k, float* s_out, float* c_out) {
  DC_PHILOX_NO_CONTRACT
  const uint32_t quadrant = (k >> 22) & 3u;
  const uint32_t rem = k & 0x3fffffu;                     // angle within the quadrant, in 2^-24 turns
  const bool upper = rem > 0x200000u;                     // past the octant: use the complement
  const uint32_t g = upper ? 0x400000u - rem : rem;       // in [0, 2^21]
  const float t = mul_rn(static_cast<float>(g) * 0x1p-24f, 6.28318530717958647692f);  // [0, pi/4]
  const float z = mul_rn(t, t);
  float ps = fma_rn(fma_rn(-1.9515295891e-4f, z, 8.3321608736e-3f), z, -1.6666654611e-1f);
  const float sin_t = fma_rn(mul_rn(ps, z), t, t);
  float pc = fma_rn(fma_rn(2.443315711809948e-5f, z, -1.388731625493765e-3f), z, 4.166664568298827e-2f);
  const float cos_t = fma_rn(mul_rn(pc, z), z, fma_rn(-0.5f, z, 1.0f));
  const float s = upper ? cos_t : sin_t;
  const float c = upper ? sin_t : cos_t;
  switch (quadrant) {
    case 0: *s_out = s, *c_out = c; break;
    case 1: *s_out = c, *c_out = -s; break;
    case 2: *s_out = -s, *c_out = -c; break;
    default: *s_out = -c, *c_out = s; break;
  }
}

// The two normals of the word pair (a, b): first = r cos, second = r sin.
DC_PHILOX_FN void box_muller(uint32_t a, uint32_t b, float* first, float* second) {
  DC_PHILOX_NO_CONTRACT
  const float u1 = static_cast<float>((a >> 8) + 1u) * 0x1p-24f;
  const float r = sqrt_rn(mul_rn(-2.0f, log_f32(u1)));
  float s, c;
  sincos_turns24(b >> 8, &s, &c);
  *first = mul_rn(r, c);
  *second = mul_rn(r, s);
}

// The four normals of group g (elements 4g .. 4g+3).
DC_PHILOX_FN void normal4(uint64_t seed, uint64_t group, float out[4]) {
  uint32_t w[4];
  generate(seed, group, w);
  box_muller(w[0], w[1], &out[0], &out[1]);
  box_muller(w[2], w[3], &out[2], &out[3]);
}

// The four values of group g (elements 4g .. 4g+3): normals or uniforms [0, 1).
// The CPU reference and the CUDA kernel both fill tensors through this.
DC_PHILOX_FN void draw4(uint64_t seed, uint64_t group, bool normal, float out[4]) {
  if (normal) {
    normal4(seed, group, out);
    return;
  }
  uint32_t w[4];
  generate(seed, group, w);
  for (int j = 0; j < 4; ++j) out[j] = uniform(w[j]);
}

// Element i alone (tests, slices); kernels and the CPU loop use draw4.
DC_PHILOX_FN float normal_element(uint64_t seed, uint64_t i) {
  float v[4];
  normal4(seed, i / 4, v);
  return v[i % 4];
}
DC_PHILOX_FN float uniform_element(uint64_t seed, uint64_t i) {
  uint32_t w[4];
  generate(seed, i / 4, w);
  return uniform(w[i % 4]);
}

}  // namespace dc::philox

#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#pragma GCC pop_options
#endif
