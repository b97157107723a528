// CLIPTextModel and T5EncoderModel on CUDA against the transformers goldens
// (ctest label gpu): f32 at the f32 bound, bf16 (and f16 for T5) within
// max(2e-2, 2 × transformers' own error at that dtype).
#include <gtest/gtest.h>

#include "core/tensor/cuda_context.h"
#include "tests/models/text_encoder_test_support.h"

namespace dc {
namespace {

class TextEncoderGoldenCuda : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  }
};

// No TF32 anywhere in f32, so the f32 bound holds (rel L2 ≤ 1e-4).
TEST_P(TextEncoderGoldenCuda, F32MatchesTransformers) {
  const test::TextEncoderParity p = test::run_text_encoder_golden(GetParam(), {Device::cuda(), DType::kF32});
  ASSERT_FALSE(p.empty());
  for (const auto& [tensor, err] : p) {
    EXPECT_LE(err, 1e-4) << tensor;
    EXPECT_GE(err, 0.0) << tensor;
  }
}

TEST_P(TextEncoderGoldenCuda, BF16WithinReferenceBF16Error) {
  const test::TextEncoderParity p = test::run_text_encoder_golden(GetParam(), {Device::cuda(), DType::kBF16});
  ASSERT_FALSE(p.empty());
  for (const auto& [tensor, err] : p) {
    const double tol = test::text_encoder_low_precision_tolerance(GetParam(), "bf16", tensor);
    EXPECT_LE(err, tol) << tensor;
    EXPECT_GT(err, 0.0) << tensor;
    std::printf("[%s] cuda bf16 %-32s rel-L2 %.2e (bound %.2e)\n", GetParam().c_str(), tensor.c_str(), err, tol);
  }
}

TEST_P(TextEncoderGoldenCuda, F16WithinReferenceF16Error) {
  if (!test::text_encoder_has_reference(GetParam(), "f16")) GTEST_SKIP() << "no f16 reference recorded for this case";
  const test::TextEncoderParity p = test::run_text_encoder_golden(GetParam(), {Device::cuda(), DType::kF16});
  ASSERT_FALSE(p.empty());
  for (const auto& [tensor, err] : p) {
    EXPECT_LE(err, test::text_encoder_low_precision_tolerance(GetParam(), "f16", tensor)) << tensor;
    EXPECT_GT(err, 0.0) << tensor;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, TextEncoderGoldenCuda, ::testing::ValuesIn(test::text_encoder_case_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dc
