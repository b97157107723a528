// `dcgen info`: the build and machine, and with --model what a pipeline folder holds.
#include <gtest/gtest.h>

#include "tests/cli/dcgen_runner.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using test::dcgen;
using test::q;

TEST(DcgenInfo, DescribesTheBuild) {
  const test::CliRun r = dcgen("info");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* line : {"CPU threads: ", "CUDA: ", "AutoencoderKL"})
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
}

TEST(DcgenInfo, DescribesAStandardFluxFolder) {
  const test::CliRun r = dcgen("info --model " + q(test::data_dir() / "flux1_pipeline" / "tiny-flux1-schnell"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* line : {"model: tiny-flux1-schnell", "VAE: AutoencoderKL, 16 latent channels, 4x spatial, 2x2",
                           "guidance: none", "multiples of 8"})
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
}

TEST(DcgenInfo, DescribesTheDemoModel) {
  const test::CliRun r = dcgen("info --model " + q(std::filesystem::path(DC_SOURCE_DIR) / "resources" / "demo_model" /
                                                   "dc-gen-flux-demo"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* line : {"(demo model)", "VAE: AutoencoderDC", "1x1 latent pixels", "default size: 512x512",
                           "flux2 (DC-Gen warp)"})
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
}

TEST(DcgenInfo, AFolderThatIsNotAPipelineIsExitTwo) {
  const test::TempDir tmp;
  const test::CliRun r = dcgen("info --model " + q(tmp.path()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("model_index.json"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace dc
