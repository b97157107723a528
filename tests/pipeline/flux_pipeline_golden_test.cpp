// The whole tiny DC-Gen-FLUX pipeline against the reference pipeline run on the
// same folder and initial noise (tests/reference/make_flux_pipeline_golden.py):
// CLIP + T5 tokenizers and encoders, the FLUX transformer on 1x1 DC-AE latents,
// both sigma schedules, embedded guidance, true CFG, batches, DC-AE decode.
#include <gtest/gtest.h>

#include <cmath>

#include "core/io/safetensors/safetensors_file.h"
#include "core/ops/copy.h"
#include "core/pipeline/flux_pipeline.h"
#include "tests/common/test_util.h"
#include "tests/pipeline/flux_pipeline_test_support.h"

namespace dc::pipeline {
namespace {

using test::golden_cases;
using test::request_for;
const std::filesystem::path kData = test::pipeline_data();

TEST(FluxPipelineGolden, MatchesReferencePipelineInF32) {
  auto pipe = FluxPipeline::open(kData / "tiny-dcgen-flux", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  EXPECT_EQ((*pipe)->info().vae_class, "AutoencoderDC");
  EXPECT_EQ((*pipe)->info().patch, 1);
  int checked = 0;
  const nlohmann::json all = golden_cases();
  for (const auto& [name, c] : all.items()) {
    auto file = SafetensorsFile::open(kData / (name + ".safetensors"));
    ASSERT_TRUE(file) << file.error().to_string();
    const Tensor noise = *(*file)->tensor("noise"), expected = *(*file)->tensor("image");
    int steps_seen = 0;
    GenerationEvents events;
    events.on_progress = [&](const GenerationProgress& p) {
      if (p.phase == GenerationPhase::kDenoising) steps_seen = p.step;
    };
    auto result = (*pipe)->generate(request_for(c, noise), events);
    ASSERT_TRUE(result) << name << ": " << result.error().to_string();
    ASSERT_EQ(result->images.shape(), expected.shape()) << name;
    EXPECT_EQ(steps_seen, c["steps"].get<int>()) << name;
    const double db = dc::test::image_psnr(result->images, expected);
    EXPECT_GE(db, 40.0) << name;
    std::printf("%s: PSNR %.1f dB\n", name.c_str(), db);
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST(FluxPipelineGolden, CancelsBetweenSteps) {
  auto pipe = FluxPipeline::open(kData / "tiny-dcgen-flux", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe);
  TextToImageRequest r;
  r.prompt = "a red circle";
  r.steps = 5;
  r.width = r.height = 32;
  GenerationEvents events;
  events.on_progress = [&](const GenerationProgress& p) {
    if (p.phase == GenerationPhase::kDenoising && p.step == 2) events.cancel.cancel();
  };
  auto result = (*pipe)->generate(r, events);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kCancelled);
}

TEST(FluxPipelineGolden, RejectsBadRequests) {
  auto pipe = FluxPipeline::open(kData / "tiny-dcgen-flux", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe);
  TextToImageRequest r;
  r.prompt = "x";
  r.width = 30;  // not a multiple of the VAE's 4
  r.height = 32;
  auto bad_size = (*pipe)->generate(r);
  ASSERT_FALSE(bad_size);
  EXPECT_NE(bad_size.error().message().find("multiples of 4"), std::string::npos) << bad_size.error().message();
  r.width = 32;
  r.steps = 0;
  EXPECT_FALSE((*pipe)->generate(r));
  r.steps = 2;
  r.initial_noise = Tensor::from_vector(std::vector<float>(8, 0.0f), {1, 8, 1, 1});
  auto bad_noise = (*pipe)->generate(r);
  ASSERT_FALSE(bad_noise);
  EXPECT_NE(bad_noise.error().message().find("initial noise"), std::string::npos);
}

// On the CPU a job whose largest stage would not fit the memory (free, or the budget
// given) is refused before any work, naming the stage; one that fits runs.
TEST(FluxPipelineGolden, ACpuJobTooLargeForMemoryIsRefusedUpFront) {
  auto pipe = FluxPipeline::open(kData / "tiny-dcgen-flux", {Device::cpu(), DType::kF32, size_t{1} << 30});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  TextToImageRequest r;
  r.prompt = "a red circle";
  r.steps = 2;
  r.width = r.height = 4096;  // the tiled decode alone wants ~6 GiB
  int steps = 0;
  GenerationEvents events;
  events.on_progress = [&](const GenerationProgress& p) { steps += p.phase == GenerationPhase::kDenoising; };
  auto refused = (*pipe)->generate(r, events);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kOutOfMemory);
  const std::string& why = refused.error().message();
  EXPECT_NE(why.find("4096x4096"), std::string::npos) << why;
  // The first stage over the budget is named (for the tiny scale-4 model, the transformer's 1M tokens).
  EXPECT_TRUE(why.find("transformer stage") != std::string::npos || why.find("vae stage") != std::string::npos) << why;
  EXPECT_NE(why.find("1.0 GiB is the budget"), std::string::npos) << why;
  EXPECT_EQ(steps, 0);
  r.width = r.height = 64;
  auto made = (*pipe)->generate(r);
  EXPECT_TRUE(made) << made.error().to_string();
}

TEST(FluxPipelineGolden, SameSeedSameImage) {
  auto pipe = FluxPipeline::open(kData / "tiny-dcgen-flux", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe);
  TextToImageRequest r;
  r.prompt = "a blue ring";
  r.steps = 2;
  r.width = r.height = 32;
  r.seed = 7;
  r.batch = 2;
  auto a = (*pipe)->generate(r);
  ASSERT_TRUE(a) << a.error().to_string();
  // Image k of a batch is the image of seed + k alone.
  r.batch = 1;
  r.seed = 8;
  auto b = (*pipe)->generate(r);
  ASSERT_TRUE(b);
  EXPECT_GT(dc::test::image_psnr(a->images.slice(0, 1, 2), b->images), 100.0);
  const Tensor first = ops::contiguous(a->images.slice(0, 0, 1));
  double max_diff = 0;  // a different seed is a different picture
  for (int64_t i = 0; i < first.numel(); ++i)
    max_diff = std::max(max_diff, double(std::abs(first.data<float>()[i] - b->images.data<float>()[i])));
  EXPECT_GT(max_diff, 1e-3);
}

}  // namespace
}  // namespace dc::pipeline

namespace dc::pipeline {
namespace {

TEST(FluxPipelineGolden, EmitsLatentPreviewsEveryNSteps) {
  auto pipe = FluxPipeline::open(test::pipeline_data() / "tiny-dcgen-flux", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe);
  TextToImageRequest r;
  r.prompt = "a purple square";
  r.steps = 4;
  r.width = 48;
  r.height = 32;
  r.preview_every = 2;
  std::vector<int> steps;
  GenerationEvents events;
  events.on_preview = [&](int step, const Tensor& preview) {
    steps.push_back(step);
    EXPECT_EQ(preview.shape(), (Shape{1, 3, 8, 12}));  // latent resolution: 1/4 of the image
    float lo = 1e9f, hi = -1e9f;
    for (int64_t i = 0; i < preview.numel(); ++i) {
      lo = std::min(lo, preview.data<float>()[i]);
      hi = std::max(hi, preview.data<float>()[i]);
    }
    EXPECT_GE(lo, -1.0f);
    EXPECT_LE(hi, 1.0f);
    EXPECT_LT(lo, hi);  // stretched, not flat
  };
  ASSERT_TRUE((*pipe)->generate(r, events));
  EXPECT_EQ(steps, (std::vector<int>{2, 4}));
}

}  // namespace
}  // namespace dc::pipeline
