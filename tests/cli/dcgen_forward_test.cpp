// `dcgen forward` / `selftest` end to end through the built binary: parity with
// the diffusers goldens and exit code 2 with a clear message for bad input.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>

#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/reduce.h"
#include "tests/cli/dcgen_runner.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using test::CliRun;
using test::dcgen;
using test::q;

const std::filesystem::path kCase = test::data_dir() / "dcae" / "sana_like";

Tensor golden(const char* name) {
  return SafetensorsFile::open(kCase / "golden.safetensors").value_or_throw()->tensor(name).value_or_throw();
}

TEST(DcgenForward, AutoencoderDCEncodeAndDecodeMatchDiffusers) {
  test::TempDir tmp;
  ASSERT_TRUE(write_safetensors(tmp / "in.safetensors", {{"sample", golden("sample")}, {"latent", golden("latent_in")}}));
  const CliRun r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "in.safetensors") + " " + q(tmp / "out.safetensors"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto out = SafetensorsFile::open(tmp / "out.safetensors");
  ASSERT_TRUE(out.ok());
  EXPECT_LE(ops::relative_l2((*out)->tensor("latent").value_or_throw(), golden("latent")), 1e-4);
  EXPECT_LE(ops::relative_l2((*out)->tensor("sample").value_or_throw(), golden("decoded")), 1e-4);
  EXPECT_EQ((*out)->info("sample")->dtype, DType::kF32);
}

TEST(DcgenForward, Bf16RunStaysWithinBf16Tolerance) {
  test::TempDir tmp;
  ASSERT_TRUE(write_safetensors(tmp / "in.safetensors", {{"latent", golden("latent_in")}}));
  const CliRun r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "in.safetensors") + " " + q(tmp / "out.safetensors") +
                      " --dtype bf16");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto out = SafetensorsFile::open(tmp / "out.safetensors");
  ASSERT_TRUE(out.ok());
  const double err = ops::relative_l2((*out)->tensor("sample").value_or_throw(), golden("decoded"));
  EXPECT_LE(err, 2e-2);
  EXPECT_GT(err, 0.0);  // it really ran in bf16
}

TEST(DcgenForward, UnknownComponentClassIsExitCode2) {
  test::TempDir tmp;
  std::filesystem::create_directories(tmp / "unet");
  std::ofstream(tmp / "unet" / "config.json") << R"({"_class_name": "UNet2DModel"})";
  ASSERT_TRUE(write_safetensors(tmp / "in.safetensors", {{"sample", golden("sample")}}));
  const CliRun r = dcgen("forward " + q(tmp / "unet") + " " + q(tmp / "in.safetensors") + " " + q(tmp / "out.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("UNet2DModel"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp / "out.safetensors"));
}

TEST(DcgenForward, MissingAndMisshapedInputsAreExitCode2) {
  test::TempDir tmp;
  ASSERT_TRUE(write_safetensors(tmp / "none.safetensors", {{"pixels", golden("sample")}}));
  CliRun r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "none.safetensors") + " " + q(tmp / "o.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'sample'"), std::string::npos) << r.output;

  ASSERT_TRUE(write_safetensors(tmp / "bad.safetensors", {{"sample", ops::randn({1, 4, 32, 32}, 1)}}));
  r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "bad.safetensors") + " " + q(tmp / "o.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("[1, 4, 32, 32]"), std::string::npos) << r.output;

  ASSERT_TRUE(write_safetensors(tmp / "odd.safetensors", {{"sample", ops::randn({1, 3, 30, 32}, 1)}}));
  r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "odd.safetensors") + " " + q(tmp / "o.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("multiples of"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp / "o.safetensors"));
}

TEST(DcgenForward, CorruptInputFileIsExitCode2) {
  test::TempDir tmp;
  std::ofstream(tmp / "junk.safetensors") << "\xff\xff\xff\xff\xff\xff\xff\x7fnot a header";
  const CliRun r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "junk.safetensors") + " " + q(tmp / "o.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("junk.safetensors"), std::string::npos) << r.output;
}

TEST(DcgenForward, BadOptionsAreExitCode2AndHelpWorks) {
  EXPECT_EQ(dcgen("forward a b c --device tpu").exit_code, 2);
  EXPECT_EQ(dcgen("forward a b c --dtype f8").exit_code, 2);
  EXPECT_EQ(dcgen("frobnicate").exit_code, 2);
  for (const char* verb : {"forward", "encode", "decode", "info", "selftest"}) {
    const CliRun r = dcgen(std::string(verb) + " --help");
    EXPECT_EQ(r.exit_code, 0) << verb;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << verb << ": " << r.output;
  }
}

TEST(DcgenSelftest, PassesOnTheShippedReferenceCases) {
  const CliRun r = dcgen("selftest");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("PASSED"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace dc
