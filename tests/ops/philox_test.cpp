// The Philox stream definition (gpu/cuda/random/philox.h) on the host: Random123
// known answers, the element mapping, and golden hashes of the normal and
// uniform streams, so a change of formula, compiler contraction or libm shows
// up here before it shows up as CPU/CUDA noise mismatch.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/ops/copy.h"
#include "core/ops/random.h"
#include "gpu/cuda/random/philox.h"

namespace dc::test {
namespace {

struct Kat {
  uint32_t counter[4];
  uint32_t key[2];
  uint32_t expected[4];
};

TEST(Philox, MatchesRandom123KnownAnswers) {
  // Random123 kat_vectors, "philox4x32 10" lines.
  const Kat kats[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    uint32_t out[4];
    philox::philox4x32_10(k.counter, k.key, out);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], k.expected[i]) << "word " << i;
  }
}

TEST(Philox, ElementMappingUsesSeedAsKeyAndGroupAsCounter) {
  const uint64_t seed = 0x0123456789abcdefull, group = (uint64_t{5} << 32) | 77;
  const uint32_t counter[4] = {77, 5, 0, 0};
  const uint32_t key[2] = {0x89abcdef, 0x01234567};
  uint32_t direct[4], mapped[4];
  philox::philox4x32_10(counter, key, direct);
  philox::generate(seed, group, mapped);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(direct[i], mapped[i]);
  EXPECT_EQ(philox::uniform_element(seed, group * 4 + 2), static_cast<float>(direct[2] >> 8) * 0x1p-24f);
}

uint64_t fnv_hash_of_stream(bool normal, uint64_t seed, uint64_t count) {
  uint64_t h = 1469598103934665603ull;
  for (uint64_t i = 0; i < count; ++i) {
    const float z = normal ? philox::normal_element(seed, i) : philox::uniform_element(seed, i);
    uint32_t bits;
    std::memcpy(&bits, &z, 4);
    h = (h ^ bits) * 1099511628211ull;
  }
  return h;
}

TEST(Philox, StreamsMatchGoldenBits) {
  // Recorded with GCC 12 (-O2 and -O3 -march=haswell -ffp-contract=fast) and clang
  // (-ffp-contract=fast/on): the header's explicit fma and no-contract pragma
  // make these independent of flags.
  EXPECT_EQ(fnv_hash_of_stream(true, 0x123456789abcdefull, 1 << 16), 0x2c3b796e55e99a47ull);
  EXPECT_EQ(fnv_hash_of_stream(false, 7, 1 << 16), 0x459de2114ecc98b0ull);
  EXPECT_FLOAT_EQ(philox::normal_element(42, (uint64_t{1} << 40) + 3), 0.761518002f);
}

TEST(Philox, FormatsAreAccurateAndInRange) {
  double max_log_err = 0, max_trig_err = 0;
  for (uint32_t k = 0; k < (1u << 24); k += 97) {
    const float u = static_cast<float>(k + 1) * 0x1p-24f;
    max_log_err = std::fmax(max_log_err, std::fabs(philox::log_f32(u) - std::log(static_cast<double>(u))));
    float s, c;
    philox::sincos_turns24(k, &s, &c);
    const double angle = 2.0 * M_PI * k * 0x1p-24;
    max_trig_err = std::fmax(max_trig_err, std::fmax(std::fabs(s - std::sin(angle)), std::fabs(c - std::cos(angle))));
  }
  EXPECT_LT(max_log_err, 2e-6);   // |log u| ≤ 16.7, 1 ulp there is 1.9e-6
  EXPECT_LT(max_trig_err, 2.4e-7);  // 2 ulp at 1
  double sum = 0, sum_sq = 0;
  const int n = 1 << 18;
  for (int i = 0; i < n; ++i) {
    const float u = philox::uniform_element(3, i);
    ASSERT_GE(u, 0.0f);
    ASSERT_LT(u, 1.0f);
    const double z = philox::normal_element(3, i);
    ASSERT_TRUE(std::isfinite(z));
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);  // 5 standard errors (1/√n = 0.002)
  EXPECT_NEAR(sum_sq / n, 1.0, 0.015);
}

TEST(Philox, CpuRandnIsTheDefinedStream) {
  const std::vector<float> v = ops::to_f32_vector(ops::randn({3, 7}, 99));
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], philox::normal_element(99, i)) << "element " << i;
  const std::vector<float> u = ops::to_f32_vector(ops::rand({9}, 99));
  for (size_t i = 0; i < u.size(); ++i) EXPECT_EQ(u[i], philox::uniform_element(99, i)) << "element " << i;
}

}  // namespace
}  // namespace dc::test
