#include "tests/pipeline/flux_pipeline_streaming_support.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/io/safetensors/safetensors_file.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "tests/pipeline/flux_pipeline_test_support.h"

namespace dc::pipeline::test {

size_t expect_streamed_pipeline_equals_resident(Device device, DType dtype, size_t budget) {
  auto resident = FluxPipeline::open(pipeline_data() / "tiny-dcgen-flux", {device, dtype, budget});
  EXPECT_TRUE(resident) << resident.error().to_string();
  FluxPipelineOptions options{device, dtype, budget};
  options.stream_transformer_blocks = true;
  auto streamed = FluxPipeline::open(pipeline_data() / "tiny-dcgen-flux", options);
  EXPECT_TRUE(streamed) << streamed.error().to_string();
  if (!resident || !streamed) return 0;
  if (device.is_cuda()) {
    EXPECT_NE((*streamed)->info().residency.find("transformer streamed block by block"), std::string::npos)
        << (*streamed)->info().residency;
    EXPECT_EQ((*resident)->info().residency.find("streamed"), std::string::npos) << (*resident)->info().residency;
  }
  size_t peak = 0;
  int checked = 0;
  const nlohmann::json cases = golden_cases();
  for (const auto& [name, c] : cases.items()) {
    auto file = SafetensorsFile::open(pipeline_data() / (name + ".safetensors"));
    EXPECT_TRUE(file) << file.error().to_string();
    if (!file) continue;
    const Tensor noise = *(*file)->tensor("noise");
    auto a = (*resident)->generate(request_for(c, noise));
    auto b = (*streamed)->generate(request_for(c, noise));
    EXPECT_TRUE(a) << name << ": " << a.error().to_string();
    EXPECT_TRUE(b) << name << ": " << b.error().to_string();
    if (!a || !b) continue;
    EXPECT_EQ(ops::max_abs_diff(a->images, b->images), 0.0) << name;
    EXPECT_GT(ops::max_abs_diff(a->images, ops::scale(a->images, 0.5f)), 0.0) << name;  // a real image
    peak = std::max(peak, b->peak_device_bytes);
    ++checked;
  }
  EXPECT_EQ(checked, 3);
  return peak;
}

}  // namespace dc::pipeline::test
