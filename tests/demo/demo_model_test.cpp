// The embedded demo model (resources/demo_model/dc-gen-flux-demo) as shipped: found where
// dcgen looks for it, its model card read, and dcgen's pipeline equal to the reference
// pipeline on it (tests/reference/make_demo_model_golden.py) for the same initial noise.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "core/ops/copy.h"
#include "core/pipeline/embedded_model.h"
#include "core/pipeline/flux_pipeline.h"
#include "tests/common/test_util.h"

namespace dc::demo {
namespace {

using pipeline::FluxPipeline;

TEST(DemoModel, IsFoundInTheBuildTreeAndDeclaresItsDefaults) {
  auto dir = pipeline::embedded_demo_model();
  ASSERT_TRUE(dir) << dir.error().to_string();
  auto pipe = FluxPipeline::open(*dir, {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  const auto& info = (*pipe)->info();
  EXPECT_TRUE(info.demo);
  EXPECT_EQ(info.default_width, 512);
  EXPECT_EQ(info.default_height, 512);
  EXPECT_NE(info.name.find("demo"), std::string::npos) << info.name;
  EXPECT_EQ(info.vae_class, "AutoencoderDC");
  EXPECT_EQ(info.patch, 1);
  EXPECT_TRUE(info.guidance_embeds);
}

TEST(DemoModel, EnvironmentOverridesAndMissingFoldersAreNamed) {
  const char* saved = std::getenv("DC_DEMO_MODEL");
  const std::string previous = saved ? saved : "";
  ::setenv("DC_DEMO_MODEL", (std::filesystem::path(DC_TEST_DATA_DIR) / "flux_pipeline" / "tiny-dcgen-flux").c_str(), 1);
  auto overridden = pipeline::embedded_demo_model();
  ASSERT_TRUE(overridden) << overridden.error().to_string();
  EXPECT_EQ(overridden->filename(), "tiny-dcgen-flux");
  // A folder without model_index.json is skipped, and the error (if nothing else matched)
  // would list it; here the build tree's copy is found after it.
  ::setenv("DC_DEMO_MODEL", "/nonexistent/dc-demo", 1);
  auto fallback = pipeline::embedded_demo_model();
  ASSERT_TRUE(fallback) << fallback.error().to_string();
  EXPECT_EQ(fallback->filename(), pipeline::kDemoModelFolder);
  ::setenv("DC_DEMO_MODEL", "off", 1);  // hides it
  EXPECT_FALSE(pipeline::embedded_demo_model());
  if (saved) ::setenv("DC_DEMO_MODEL", previous.c_str(), 1);
  else ::unsetenv("DC_DEMO_MODEL");
  auto missing = pipeline::first_pipeline_folder({"/nonexistent/a", DC_TEST_DATA_DIR});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message().find("/nonexistent/a"), std::string::npos) << missing.error().message();
  EXPECT_NE(missing.error().message().find("DC_DEMO_MODEL"), std::string::npos) << missing.error().message();
}

TEST(DemoModel, MatchesTheReferencePipeline) {
  const std::filesystem::path data = std::filesystem::path(DC_TEST_DATA_DIR) / "demo_model";
  std::ifstream in(data / "cases.json");
  ASSERT_TRUE(in) << "missing " << (data / "cases.json");
  const nlohmann::json record = nlohmann::json::parse(in);
  auto dir = pipeline::embedded_demo_model();
  ASSERT_TRUE(dir) << dir.error().to_string();
  auto pipe = FluxPipeline::open(*dir, {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  int checked = 0;
  for (const auto& [name, c] : record["cases"].items()) {
    auto file = SafetensorsFile::open(data / (name + ".safetensors"));
    ASSERT_TRUE(file) << file.error().to_string();
    pipeline::TextToImageRequest r;
    r.prompt = c["prompt"].get<std::string>();
    r.width = c["width"].get<int>();
    r.height = c["height"].get<int>();
    r.steps = c["steps"].get<int>();
    r.guidance = c["guidance"].get<float>();
    r.initial_noise = *(*file)->tensor("noise");
    auto result = (*pipe)->generate(r);
    ASSERT_TRUE(result) << name << ": " << result.error().to_string();
    EXPECT_EQ(result->max_sequence_length, record["max_sequence_length"].get<int>()) << name;
    const Tensor expected = ops::cast(*(*file)->tensor("image"), DType::kF32);
    ASSERT_EQ(result->images.shape(), expected.shape()) << name;
    const double db = dc::test::image_psnr(result->images, expected);
    std::printf("%s: PSNR %.1f dB against the reference pipeline\n", name.c_str(), db);
    EXPECT_GE(db, 40.0) << name << " (after retraining the demo model, rerun tests/reference/make_demo_model_golden.py)";
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

}  // namespace
}  // namespace dc::demo
