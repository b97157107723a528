// `dcgen forward` on AutoencoderKL folders through the built binary: decode
// parity with the diffusers goldens, and exit code 2 with a clear message for
// an encode request or a misshaped latent.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "tests/cli/dcgen_runner.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using test::CliRun;
using test::dcgen;
using test::q;

const std::filesystem::path kCase = test::data_dir() / "autoencoder_kl" / "flux_like";

// The bf16 bound of the model tests: max(2e-2, 2 × diffusers' own bf16 error on this case).
double bf16_bound() {
  std::ifstream in(kCase.parent_path() / "cases.json");
  const nlohmann::json all = nlohmann::json::parse(in);  // the loop views it: it must outlive the loop
  for (const auto& c : all.at("cases"))
    if (c.at("name") == "flux_like") return std::max(2e-2, 2 * c.at("reference_bf16_rel_l2").at("decode").get<double>());
  ADD_FAILURE() << "flux_like is not in cases.json";
  return 0;
}

Tensor golden(const char* name) {
  return SafetensorsFile::open(kCase / "golden.safetensors").value_or_throw()->tensor(name).value_or_throw();
}

TEST(DcgenForwardAutoencoderKL, DecodeMatchesDiffusersInF32AndBf16) {
  test::TempDir tmp;
  ASSERT_TRUE(write_safetensors(tmp / "in.safetensors", {{"latent", golden("latent_in")}}));
  CliRun r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "in.safetensors") + " " + q(tmp / "out.safetensors") +
                   " --dump-taps");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto out = SafetensorsFile::open(tmp / "out.safetensors");
  ASSERT_TRUE(out.ok());
  EXPECT_LE(ops::relative_l2((*out)->tensor("sample").value_or_throw(), golden("decoded")), 1e-4);
  EXPECT_EQ((*out)->info("sample")->dtype, DType::kF32);
  EXPECT_TRUE((*out)->info("tap:decoder.mid_block").ok()) << "--dump-taps writes the named intermediates";

  r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "in.safetensors") + " " + q(tmp / "bf16.safetensors") +
            " --dtype bf16");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const double err = ops::relative_l2(
      SafetensorsFile::open(tmp / "bf16.safetensors").value_or_throw()->tensor("sample").value_or_throw(),
      golden("decoded"));
  EXPECT_GT(err, 0.0);  // it really ran in bf16
  EXPECT_LE(err, bf16_bound());
}

TEST(DcgenForwardAutoencoderKL, EncodeRequestAndBadLatentAreExitCode2) {
  test::TempDir tmp;
  ASSERT_TRUE(write_safetensors(tmp / "sample.safetensors", {{"sample", ops::randn({1, 3, 16, 24}, 1)}}));
  CliRun r =
      dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "sample.safetensors") + " " + q(tmp / "o.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("encoding"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("not implemented"), std::string::npos) << r.output;

  ASSERT_TRUE(write_safetensors(tmp / "bad.safetensors", {{"latent", ops::randn({1, 4, 4, 6}, 1)}}));
  r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "bad.safetensors") + " " + q(tmp / "o.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("[N, 16, h, w]"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[1, 4, 4, 6]"), std::string::npos) << r.output;

  ASSERT_TRUE(write_safetensors(tmp / "none.safetensors", {{"z", golden("latent_in")}}));
  r = dcgen("forward " + q(kCase / "vae") + " " + q(tmp / "none.safetensors") + " " + q(tmp / "o.safetensors"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'latent'"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp / "o.safetensors"));
}

TEST(DcgenForwardAutoencoderKL, HelpNamesTheClass) {
  const CliRun r = dcgen("forward --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("AutoencoderKL"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace dc
