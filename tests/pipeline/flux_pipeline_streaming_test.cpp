// FluxPipeline with the transformer streamed block by block on the CPU (host
// store -> CPU slots, the CUDA code path without the side stream): the images
// equal the resident pipeline's bit for bit.
#include <gtest/gtest.h>

#include "tests/pipeline/flux_pipeline_streaming_support.h"

namespace dc::pipeline {
namespace {

TEST(FluxPipelineStreaming, StreamedImagesEqualResidentOnesF32) {
  test::expect_streamed_pipeline_equals_resident(Device::cpu(), DType::kF32, 0);
}

}  // namespace
}  // namespace dc::pipeline
