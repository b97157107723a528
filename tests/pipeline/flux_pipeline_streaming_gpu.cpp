// FluxPipeline on CUDA with the transformer streamed block by block (page-locked
// host store, two device slots, uploads on a side stream): bit-identical images
// to the resident pipeline, and the job stays within its memory budget.
#include <gtest/gtest.h>

#include "core/tensor/cuda_context.h"
#include "tests/pipeline/flux_pipeline_streaming_support.h"

namespace dc::pipeline {
namespace {

class FluxPipelineStreamingCuda : public ::testing::TestWithParam<DType> {
 protected:
  void SetUp() override {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  }
};

TEST_P(FluxPipelineStreamingCuda, StreamedImagesEqualResidentOnesWithinBudget) {
  const size_t budget = size_t{3} << 30;
  const size_t peak = test::expect_streamed_pipeline_equals_resident(Device::cuda(), GetParam(), budget);
  EXPECT_GT(peak, 0u);
  EXPECT_LE(peak, budget);
  std::printf("streamed %s: peak %.1f MiB of a %.0f MiB budget\n", std::string(dtype_name(GetParam())).c_str(),
              peak / 1048576.0, budget / 1048576.0);
}

INSTANTIATE_TEST_SUITE_P(DTypes, FluxPipelineStreamingCuda, ::testing::Values(DType::kF32, DType::kBF16),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

}  // namespace
}  // namespace dc::pipeline
