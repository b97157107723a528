// LoRAs through FluxPipeline on the tiny DC-Gen-FLUX folder (CPU): a job's LoRAs change
// its image, the next job with the same set gives the same pixels, a job without them
// gives the base image bit for bit (the weights are restored, not subtracted), and a
// LoRA that does not fit fails the job without spoiling the next one.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/ops/reduce.h"
#include "core/pipeline/flux_pipeline.h"
#include "tests/common/test_util.h"

namespace dc::pipeline {
namespace {

const std::filesystem::path kPipe = dc::test::data_dir() / "flux_pipeline" / "tiny-dcgen-flux";
const std::filesystem::path kLoRAs = dc::test::data_dir() / "flux_lora";
const std::filesystem::path kStyle = kLoRAs / "tiny-dcgen-flux" / "style.safetensors";

TextToImageRequest request(std::vector<LoRASpec> loras = {}) {
  TextToImageRequest r;
  r.prompt = "a small red circle";
  r.steps = 2;
  r.width = r.height = 32;
  r.seed = 7;
  r.loras = std::move(loras);
  return r;
}

Tensor generate(FluxPipeline& pipe, const TextToImageRequest& r, TextToImageResult* out = nullptr) {
  auto result = pipe.generate(r);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().to_string());
  if (!result) return {};
  if (out) *out = *result;
  return result->images;
}

TEST(FluxPipelineLoRA, JobsSwitchLoRAsWithoutHistory) {
  auto pipe = FluxPipeline::open(kPipe, {});
  ASSERT_TRUE(pipe.ok()) << pipe.error().to_string();
  const Tensor base = generate(**pipe, request());
  ASSERT_TRUE(base.defined());

  TextToImageResult styled_result;
  const Tensor styled = generate(**pipe, request({{kStyle, 0.8}}), &styled_result);
  ASSERT_TRUE(styled.defined());
  EXPECT_LT(dc::test::image_psnr(styled, base), 40.0);  // the LoRA shows
  ASSERT_EQ(styled_result.loras.size(), 1u);
  EXPECT_EQ(styled_result.loras[0].name, "style");
  EXPECT_EQ(styled_result.loras[0].strength, 0.8);
  std::ifstream in(kLoRAs / "cases.json");
  const nlohmann::json manifest = nlohmann::json::parse(in);
  EXPECT_EQ(styled_result.loras[0].sha256, manifest["pipeline_loras"][0]["addnet_sha256"]["style.safetensors"]);

  EXPECT_EQ(ops::max_abs_diff(generate(**pipe, request({{kStyle, 0.8}})), styled), 0.0);  // kept merged
  EXPECT_EQ(ops::max_abs_diff(generate(**pipe, request()), base), 0.0);                  // restored exactly
  EXPECT_EQ(ops::max_abs_diff(generate(**pipe, request({{kStyle, 0.0}})), base), 0.0);  // strength 0
  const Tensor stronger = generate(**pipe, request({{kStyle, 1.2}}));
  EXPECT_GT(ops::max_abs_diff(stronger, styled), 0.0);

  // A fresh pipeline asked for the LoRA at once gives the same pixels as the switched one.
  auto fresh = FluxPipeline::open(kPipe, {});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(ops::max_abs_diff(generate(**fresh, request({{kStyle, 0.8}})), styled), 0.0);
}

TEST(FluxPipelineLoRA, AMisfitLoRAFailsTheJobOnly) {
  auto pipe = FluxPipeline::open(kPipe, {});
  ASSERT_TRUE(pipe.ok()) << pipe.error().to_string();
  const Tensor base = generate(**pipe, request());
  // A LoRA for another FLUX size (the c32 test transformer): refused with the file and key named.
  const auto other = kLoRAs / "dcgen_c32_guidance" / "kohya.safetensors";
  std::vector<std::string> warnings;
  GenerationEvents events;
  events.on_warning = [&](const std::string& w) { warnings.push_back(w); };
  auto r = (*pipe)->generate(request({{kStyle, 1.0}, {other, 1.0}}), events);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().to_string().find("kohya.safetensors"), std::string::npos) << r.error().to_string();
  EXPECT_NE(r.error().to_string().find("lora_unet_"), std::string::npos) << r.error().to_string();
  ASSERT_EQ(warnings.size(), 1u);  // its text-encoder layers
  EXPECT_NE(warnings[0].find("text-encoder"), std::string::npos);
  // Not a LoRA file at all: refused before anything loads.
  auto not_lora = (*pipe)->generate(request({{kPipe / "transformer" / "diffusion_pytorch_model.safetensors", 1.0}}));
  ASSERT_FALSE(not_lora.ok());
  EXPECT_NE(not_lora.error().to_string().find("is not a LoRA key"), std::string::npos) << not_lora.error().to_string();
  EXPECT_EQ((*pipe)->generate(request({{kLoRAs / "none.safetensors", 1.0}})).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ops::max_abs_diff(generate(**pipe, request()), base), 0.0);
}

}  // namespace
}  // namespace dc::pipeline
