// A tiny standard FLUX.1 pipeline folder (AutoencoderKL VAE, 2x2-packed 16-channel
// latents, dynamic sigma shift) against diffusers' own FluxPipeline run on the same
// folder and initial noise (tests/reference/make_flux1_pipeline_golden.py): packing
// and unpacking, the resolution shift from the packed token count, embedded guidance,
// true CFG with a batch, and the AutoencoderKL decode with scaling and shift factors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/pipeline/flux_pipeline.h"
#include "tests/common/test_util.h"
#include "tests/pipeline/flux_pipeline_test_support.h"

namespace dc::pipeline {
namespace {

const std::filesystem::path kData = test::flux1_data();

TEST(Flux1PipelineGolden, OpensAsAStandardFluxFolder) {
  auto pipe = FluxPipeline::open(kData / "tiny-flux1", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  const FluxPipelineInfo& info = (*pipe)->info();
  EXPECT_EQ(info.vae_class, "AutoencoderKL");
  EXPECT_EQ(info.latent_channels, 16);
  EXPECT_EQ(info.vae_scale, 4);
  EXPECT_EQ(info.patch, 2);
  EXPECT_TRUE(info.can_decode);
  EXPECT_EQ(info.default_shift, SigmaShift::kFlux);
}

TEST(Flux1PipelineGolden, MatchesDiffusersFluxPipelineInF32) {
  EXPECT_EQ(test::expect_golden_images(kData, "tiny-flux1", Device::cpu(), DType::kF32), 2);
}

// FLUX.1-schnell's layout: no guidance embedding, a static sigma shift (use_dynamic_shifting false).
TEST(Flux1PipelineGolden, SchnellMatchesDiffusersFluxPipelineInF32) {
  auto pipe = FluxPipeline::open(kData / "tiny-flux1-schnell", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  EXPECT_FALSE((*pipe)->info().guidance_embeds);
  EXPECT_EQ(test::expect_golden_images(kData, "tiny-flux1-schnell", Device::cpu(), DType::kF32), 1);
}

// Sizes must fill whole 2x2 latent patches: multiples of VAE scale x 2.
TEST(Flux1PipelineGolden, SizesMustFillWholePatches) {
  auto pipe = FluxPipeline::open(kData / "tiny-flux1", {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe);
  TextToImageRequest r;
  r.prompt = "x";
  r.steps = 1;
  r.width = 36;  // a multiple of 4, not of 8
  r.height = 32;
  auto result = (*pipe)->generate(r);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("multiples of 8"), std::string::npos) << result.error().message();
}

// Where the whole AutoencoderKL decode does not fit the memory but its tiles do, the
// pipeline decodes in diffusers' blended tiles (AutoencoderKLGoldenCpu checks those against
// diffusers' tiled_decode) and says so; with room, the same job decodes whole.
TEST(Flux1PipelineGolden, DecodesInTilesWhenTheWholeDecodeDoesNotFit) {
  TextToImageRequest r;
  r.prompt = "a lighthouse";
  r.steps = 2;
  r.width = r.height = 256;  // 4x4 tiles of the tiny VAE's 64-pixel sample_size
  r.seed = 5;
  const auto run = [&](size_t budget, std::vector<std::string>* warnings) {
    auto pipe = FluxPipeline::open(kData / "tiny-flux1", {Device::cpu(), DType::kF32, budget});
    EXPECT_TRUE(pipe) << pipe.error().to_string();
    GenerationEvents events;
    events.on_warning = [warnings](const std::string& w) { warnings->push_back(w); };
    auto result = (*pipe)->generate(r, events);
    EXPECT_TRUE(result) << result.error().to_string();
    return result ? result->images : Tensor();
  };
  // 540 MiB: the whole decode's estimate (~560 MiB) does not fit, a tile's (~516 MiB) does.
  std::vector<std::string> tight_warnings, roomy_warnings;
  const Tensor tiled = run(size_t{540} << 20, &tight_warnings);
  const Tensor whole = run(size_t{4} << 30, &roomy_warnings);
  ASSERT_TRUE(tiled.defined() && whole.defined());
  ASSERT_EQ(tiled.shape(), whole.shape());
  ASSERT_EQ(tight_warnings.size(), 1u);
  EXPECT_NE(tight_warnings[0].find("64-pixel tiles"), std::string::npos) << tight_warnings[0];
  EXPECT_TRUE(roomy_warnings.empty());
  const double db = dc::test::image_psnr(tiled, whole);
  EXPECT_LT(db, 60.0);  // each tile has its own GroupNorm statistics: a different picture, as in diffusers
  std::printf("tiled vs whole decode: PSNR %.1f dB\n", db);
}

// A VAE option we do not run is said before any work, naming what is wrong.
TEST(Flux1PipelineGolden, AnUnsupportedVaeIsRefusedBeforeDenoising) {
  const dc::test::TempDir tmp;
  const auto copy = tmp / "tiny-flux1";
  std::filesystem::copy(kData / "tiny-flux1", copy, std::filesystem::copy_options::recursive);
  std::ifstream in(copy / "vae" / "config.json");
  nlohmann::json cfg = nlohmann::json::parse(in);
  in.close();
  cfg["act_fn"] = "mish";
  std::ofstream(copy / "vae" / "config.json") << cfg.dump(2);
  auto pipe = FluxPipeline::open(copy, {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();  // the transformer and text encoders still load
  EXPECT_FALSE((*pipe)->info().can_decode);
  int steps = 0;
  GenerationEvents events;
  events.on_progress = [&](const GenerationProgress& p) { steps += p.phase == GenerationPhase::kDenoising; };
  TextToImageRequest r;
  r.prompt = "x";
  r.steps = 2;
  r.width = r.height = 32;
  auto result = (*pipe)->generate(r, events);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kNotSupported);
  EXPECT_NE(result.error().message().find("mish"), std::string::npos) << result.error().message();
  EXPECT_EQ(steps, 0);
}

}  // namespace
}  // namespace dc::pipeline
