// FLUX transformer on CUDA against the diffusers goldens (ctest label gpu).
#include <gtest/gtest.h>

#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

class FluxGoldenCuda : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  }
};

// f32 on CUDA: no TF32 anywhere, so the f32 bound holds for the output and every block.
TEST_P(FluxGoldenCuda, F32MatchesDiffusers) {
  const test::FluxParity p = test::run_flux_golden(GetParam(), {Device::cuda(), DType::kF32});
  EXPECT_GE(p.sample_rel_l2, 0.0);
  EXPECT_LE(p.sample_rel_l2, 1e-4);
  EXPECT_FALSE(p.tap_rel_l2.empty());
  for (const auto& [tap, err] : p.tap_rel_l2) EXPECT_LE(err, 1e-4) << tap;
  std::printf("[%s] cuda f32 rel-L2 sample %.2e\n", GetParam().c_str(), p.sample_rel_l2);
}

TEST_P(FluxGoldenCuda, BF16WithinBF16Tolerance) {
  const test::FluxParity p = test::run_flux_golden(GetParam(), {Device::cuda(), DType::kBF16});
  const double tol = test::flux_bf16_tolerance(GetParam());
  EXPECT_GE(p.sample_rel_l2, 0.0);
  EXPECT_LE(p.sample_rel_l2, tol);
  std::printf("[%s] cuda bf16 rel-L2 sample %.2e (bound %.2e)\n", GetParam().c_str(), p.sample_rel_l2, tol);
}

// A rope table prepared once on the device gives the same result as ids per call.
TEST_P(FluxGoldenCuda, PreparedRopeGivesTheSameSample) {
  auto model =
      models::flux::FluxTransformer::load(test::flux_transformer_dir(GetParam()), {Device::cuda(), DType::kBF16});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  models::flux::FluxInputs in = test::flux_golden_inputs(test::flux_goldens(GetParam()));
  const Tensor expected = (*model)->forward(in);
  auto rope = (*model)->prepare_rope(in.img_ids, in.txt_ids);
  ASSERT_TRUE(rope.ok()) << rope.error().to_string();
  EXPECT_TRUE(rope->cos.is_cuda());
  in.rope = &*rope;
  EXPECT_EQ(ops::max_abs_diff((*model)->forward(in), expected), 0.0);
}

INSTANTIATE_TEST_SUITE_P(Cases, FluxGoldenCuda, ::testing::ValuesIn(test::flux_golden_cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dc
