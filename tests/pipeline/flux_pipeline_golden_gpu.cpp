// The tiny DC-Gen-FLUX pipeline on CUDA: f32 against the reference pipeline's
// f32 images (PSNR ≥ 40 dB), bf16 within twice the reference's own bf16 error
// (PSNR ≥ its bf16-vs-f32 PSNR − 6 dB, recorded in cases.json).
#include <gtest/gtest.h>

#include "core/io/safetensors/safetensors_file.h"
#include "core/pipeline/flux_pipeline.h"
#include "core/tensor/cuda_context.h"
#include "tests/common/test_util.h"
#include "tests/pipeline/flux_pipeline_test_support.h"

namespace dc::pipeline {
namespace {

void run_cases(DType dtype) {
  auto pipe = FluxPipeline::open(test::pipeline_data() / "tiny-dcgen-flux", {Device::cuda(), dtype, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  const nlohmann::json cases = test::golden_cases();
  for (const auto& [name, c] : cases.items()) {
    auto file = SafetensorsFile::open(test::pipeline_data() / (name + ".safetensors"));
    ASSERT_TRUE(file);
    const Tensor noise = *(*file)->tensor("noise"), expected = *(*file)->tensor("image");
    auto result = (*pipe)->generate(test::request_for(c, noise));
    ASSERT_TRUE(result) << name << ": " << result.error().to_string();
    const double db = dc::test::image_psnr(result->images, expected);
    const double bound = dtype == DType::kF32 ? 40.0 : c["reference_bf16_psnr"].get<double>() - 6.0;
    EXPECT_GE(db, bound) << name;
    std::printf("%s %s: PSNR %.1f dB (bound %.1f), peak %.1f MiB\n", name.c_str(),
                std::string(dtype_name(dtype)).c_str(), db, bound, result->peak_device_bytes / 1048576.0);
  }
}

TEST(FluxPipelineGoldenCuda, F32MatchesReferencePipeline) { run_cases(DType::kF32); }
TEST(FluxPipelineGoldenCuda, BF16WithinTwiceTheReferenceBF16Error) { run_cases(DType::kBF16); }

}  // namespace
}  // namespace dc::pipeline

namespace dc::pipeline {
namespace {

TEST(FluxPipelineBudgetCuda, ABudgetTooSmallForAStageIsAClearError) {
  auto pipe = FluxPipeline::open(test::pipeline_data() / "tiny-dcgen-flux", {Device::cuda(), DType::kBF16, 4096});
  ASSERT_FALSE(pipe);
  EXPECT_EQ(pipe.error().code(), ErrorCode::kOutOfMemory);
  EXPECT_NE(pipe.error().message().find("--vram-budget"), std::string::npos) << pipe.error().message();
}

TEST(FluxPipelineBudgetCuda, AJobTooLargeForTheBudgetIsRefusedBeforeLoading) {
  auto pipe = FluxPipeline::open(test::pipeline_data() / "tiny-dcgen-flux", {Device::cuda(), DType::kBF16,
                                                                             size_t{3} << 30});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  TextToImageRequest r;
  r.prompt = "x";
  r.width = r.height = 16384;  // the transformer's working set and the decode each need tens of GiB
  int steps_run = 0;
  GenerationEvents events;
  events.on_progress = [&](const GenerationProgress& p) { steps_run += p.phase == GenerationPhase::kDenoising; };
  auto result = (*pipe)->generate(r, events);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kOutOfMemory);
  // The first stage that cannot fit is named, with the budget to raise (which stage comes
  // first depends on the tiny AE's scale; both are far over 3 GiB here).
  const std::string& message = result.error().message();
  EXPECT_TRUE(message.find("transformer") != std::string::npos || message.find("vae") != std::string::npos)
      << message;
  EXPECT_NE(message.find("--vram-budget"), std::string::npos) << message;
  EXPECT_EQ(steps_run, 0);
}

TEST(FluxPipelineBudgetCuda, PeakStaysWithinTheBudget) {
  const size_t budget = size_t{2} << 30;
  auto pipe = FluxPipeline::open(test::pipeline_data() / "tiny-dcgen-flux", {Device::cuda(), DType::kBF16, budget});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  TextToImageRequest r;
  r.prompt = "a green triangle";
  r.width = r.height = 64;
  r.steps = 2;
  auto result = (*pipe)->generate(r);
  ASSERT_TRUE(result) << result.error().to_string();
  EXPECT_GT(result->peak_device_bytes, 0u);
  EXPECT_LE(result->peak_device_bytes, budget);
}

}  // namespace
}  // namespace dc::pipeline
