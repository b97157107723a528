// FLUX LoRAs merged into CUDA weights (ctest label gpu): the merge runs through the
// CUDA ops (f32 GEMM, add, strided copy into the fused matrices' rows) and is checked
// against diffusers' fused forward; switching back restores the weights bit for bit.
#include <gtest/gtest.h>

#include "core/models/flux/flux_lora.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "tests/models/flux_lora_test_support.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

using models::flux::FluxLoRAStack;

class FluxLoRACuda : public ::testing::TestWithParam<test::FluxLoRAGolden> {
 protected:
  void SetUp() override {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  }
};

double merged_error(const test::FluxLoRAGolden& g, const nn::LoadOptions& options) {
  auto model = test::load_flux_case(g.base, options);
  if (!model) return -1;
  FluxLoRAStack stack;
  auto merged = stack.apply(*model, test::flux_transformer_dir(g.base), options, g.loras);
  EXPECT_TRUE(merged.ok()) << (merged.ok() ? "" : merged.error().to_string());
  if (!merged.ok()) return -1;
  return ops::relative_l2(test::flux_case_forward(*model, g.base, options),
                          test::flux_lora_golden_tensors(g.base).at("sample:" + g.name));
}

// f32 on CUDA (no TF32): the f32 bound holds.
TEST_P(FluxLoRACuda, F32MatchesDiffusersFusedLoRA) {
  const double err = merged_error(GetParam(), {Device::cuda(), DType::kF32});
  EXPECT_GE(err, 0.0);
  EXPECT_LE(err, 1e-4);
  std::printf("[%s/%s] cuda f32 rel-L2 %.2e\n", GetParam().base.c_str(), GetParam().name.c_str(), err);
}

TEST_P(FluxLoRACuda, BF16WithinBF16Tolerance) {
  const double err = merged_error(GetParam(), {Device::cuda(), DType::kBF16});
  EXPECT_GE(err, 0.0);
  EXPECT_LE(err, GetParam().bf16_tolerance);
  std::printf("[%s/%s] cuda bf16 rel-L2 %.2e (bound %.2e)\n", GetParam().base.c_str(), GetParam().name.c_str(), err,
              GetParam().bf16_tolerance);
}

INSTANTIATE_TEST_SUITE_P(Goldens, FluxLoRACuda, ::testing::ValuesIn(test::flux_lora_goldens()), [](const auto& info) {
  std::string n = info.param.base + "_" + info.param.name;
  for (char& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
});

// bf16 weights on the GPU: A, then B, then none gives the checkpoint's weights bit for
// bit, and A -> B equals B merged into a fresh model.
TEST(FluxLoRACudaSwitch, RestoresTheBaseWeightsExactly) {
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  const std::string base = "c64_out48_no_guidance_sharded";
  const nn::LoadOptions options{Device::cuda(), DType::kBF16};
  const auto a = test::flux_lora_dir() / base / "kohya.safetensors";
  const auto b = test::flux_lora_dir() / base / "peft_metadata.safetensors";
  auto model = test::load_flux_case(base, options), fresh = test::load_flux_case(base, options);
  ASSERT_TRUE(model && fresh);
  const auto dir = test::flux_transformer_dir(base);
  FluxLoRAStack stack, fresh_stack;
  ASSERT_TRUE(stack.apply(*model, dir, options, {{a, 0.7}}).ok());
  ASSERT_TRUE(stack.apply(*model, dir, options, {{b, -0.5}}).ok());
  ASSERT_TRUE(fresh_stack.apply(*fresh, dir, options, {{b, -0.5}}).ok());
  test::expect_same_weights(*model, *fresh);
  ASSERT_TRUE(stack.apply(*model, dir, options, {}).ok());
  ASSERT_TRUE(fresh_stack.apply(*fresh, dir, options, {}).ok());
  auto untouched = test::load_flux_case(base, options);
  ASSERT_TRUE(untouched);
  test::expect_same_weights(*model, *untouched);
  test::expect_same_weights(*fresh, *untouched);
}

}  // namespace
}  // namespace dc
