// Block streaming on CUDA (page-locked host store, two device slots, the next
// block's upload on a side stream overlapping the current block): the streamed
// forward equals the resident forward bit for bit on the goldens.
#include <gtest/gtest.h>

#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

using models::flux::FluxTransformer;

class FluxStreamingCuda : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  }
};

void expect_streamed_equals_resident(const std::string& name, DType dtype) {
  const nn::LoadOptions options{Device::cuda(), dtype};
  auto resident = FluxTransformer::load(test::flux_transformer_dir(name), options);
  ASSERT_TRUE(resident.ok()) << resident.error().to_string();
  auto streamed = FluxTransformer::load_streamed(test::flux_transformer_dir(name), options);
  ASSERT_TRUE(streamed.ok()) << streamed.error().to_string();
  ASSERT_NE((*streamed)->block_streamer(), nullptr);
  const auto goldens = test::flux_goldens(name);
  const models::flux::FluxInputs in = test::flux_golden_inputs(goldens);
  const Tensor expected = ops::to_device((*resident)->forward(in), Device::cpu());
  const double tol = dtype == DType::kF32 ? 1e-4 : test::flux_bf16_tolerance(name);
  EXPECT_LE(ops::relative_l2(ops::cast(expected, DType::kF32), goldens.at("sample")), tol);
  for (int pass = 0; pass < 3; ++pass) {  // slots reused across passes, events across forwards
    const Tensor out = (*streamed)->forward(in);
    EXPECT_TRUE(out.is_cuda());
    EXPECT_EQ(ops::max_abs_diff(ops::to_device(out, Device::cpu()), expected), 0.0) << "pass " << pass;
  }
}

TEST_P(FluxStreamingCuda, StreamedF32EqualsResidentExactly) { expect_streamed_equals_resident(GetParam(), DType::kF32); }
TEST_P(FluxStreamingCuda, StreamedBF16EqualsResidentExactly) {
  expect_streamed_equals_resident(GetParam(), DType::kBF16);
}

INSTANTIATE_TEST_SUITE_P(Cases, FluxStreamingCuda, ::testing::ValuesIn(test::flux_golden_cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dc
