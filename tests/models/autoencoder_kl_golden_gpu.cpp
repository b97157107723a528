// AutoencoderKL on CUDA against the diffusers goldens, and the split-head-dim
// attention at FLUX.1's 512-wide mid-block head against the CPU reference
// (ctest label gpu).
#include <gtest/gtest.h>

#include "core/models/autoencoder_kl/wide_head_attention.h"
#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "tests/common/test_util.h"
#include "tests/models/autoencoder_kl_test_support.h"

namespace dc {
namespace {

class AutoencoderKLGoldenCuda : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  }
};

// f32 on CUDA: no TF32 anywhere, so the f32 bound holds (rel L2 ≤ 1e-4).
TEST_P(AutoencoderKLGoldenCuda, F32MatchesDiffusers) {
  const double err = test::run_autoencoder_kl_golden(GetParam(), {Device::cuda(), DType::kF32});
  EXPECT_GE(err, 0.0);
  EXPECT_LE(err, 1e-4);
  std::printf("[%s] cuda f32 rel-L2 %.2e\n", GetParam().c_str(), err);
}

TEST_P(AutoencoderKLGoldenCuda, BF16WithinBF16Tolerance) {
  const double err = test::run_autoencoder_kl_golden(GetParam(), {Device::cuda(), DType::kBF16});
  EXPECT_GT(err, 0.0);
  EXPECT_LE(err, test::autoencoder_kl_bf16_tolerance(GetParam()));
  std::printf("[%s] cuda bf16 rel-L2 %.2e\n", GetParam().c_str(), err);
}

// The path FLUX.1's 512-wide head takes on CUDA (matmul bias + attention with bias), forced
// on the tiny 16-wide head.
TEST_P(AutoencoderKLGoldenCuda, SplitHeadDimAttentionMatchesDiffusers) {
  if (!test::autoencoder_kl_case_has_mid_attention(GetParam())) GTEST_SKIP() << "no mid-block attention";
  const double f32 = test::run_autoencoder_kl_golden(GetParam(), {Device::cuda(), DType::kF32}, 6);
  EXPECT_GE(f32, 0.0);
  EXPECT_LE(f32, 1e-4);
  const double bf16 = test::run_autoencoder_kl_golden(GetParam(), {Device::cuda(), DType::kBF16}, 6);
  EXPECT_GT(bf16, 0.0);
  EXPECT_LE(bf16, test::autoencoder_kl_bf16_tolerance(GetParam()));
}

TEST_P(AutoencoderKLGoldenCuda, TiledDecodeMatchesDiffusersTiling) {
  const double f32 = test::run_autoencoder_kl_tiled_golden(GetParam(), {Device::cuda(), DType::kF32});
  if (f32 < 0 && !HasFailure()) GTEST_SKIP() << "no tiled golden for this case";
  EXPECT_LE(f32, 1e-4);
  const double bf16 = test::run_autoencoder_kl_tiled_golden(GetParam(), {Device::cuda(), DType::kBF16});
  EXPECT_GT(bf16, 0.0);
  EXPECT_LE(bf16, test::autoencoder_kl_bf16_tolerance(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Cases, AutoencoderKLGoldenCuda, ::testing::ValuesIn(test::autoencoder_kl_golden_cases()),
                         [](const auto& info) { return info.param; });

// One 512-wide head over 300 tokens (the fused kernels stop at 256), several query blocks:
// CUDA against the CPU reference's unsplit attention on the same inputs.
TEST(AutoencoderKLSplitHeadDimCuda, Head512MatchesCpuReference) {
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  const uint64_t seed = test::fresh_seed();
  const Tensor q = ops::scale(ops::randn({1, 300, 1, 512}, seed), 2.0f);
  const Tensor k = ops::randn({1, 300, 1, 512}, seed + 1);
  const Tensor v = ops::randn({1, 300, 1, 512}, seed + 2);
  const models::autoencoder_kl::SplitHeadDimOptions options{.max_bias_elements = 300 * 128};  // 3 query blocks
  for (DType dtype : {DType::kF32, DType::kBF16}) {
    auto on_cuda = [&](const Tensor& t) { return ops::to_device(ops::cast(t, dtype), Device::cuda()); };
    const Tensor got = models::autoencoder_kl::attention_split_head_dim(on_cuda(q), on_cuda(k), on_cuda(v), options);
    ASSERT_TRUE(cuda_synchronize().ok());
    // The reference: f32 attention on the inputs as rounded to `dtype`.
    auto rounded = [&](const Tensor& t) { return ops::cast(ops::cast(t, dtype), DType::kF32); };
    const Tensor expected = ops::attention(rounded(q), rounded(k), rounded(v));
    const double err = ops::relative_l2(got, expected);
    EXPECT_LE(err, dtype == DType::kF32 ? 1e-4 : 1e-2) << dtype_name(dtype);
    std::printf("split head dim 512 on CUDA, %s: rel-L2 %.2e\n", std::string(dtype_name(dtype)).c_str(), err);
  }
}

}  // namespace
}  // namespace dc
