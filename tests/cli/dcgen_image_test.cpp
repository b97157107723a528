// `dcgen encode` / `dcgen decode` through OpenImageIO files.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <sys/wait.h>

#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/reduce.h"
#include "tests/cli/dcgen_runner.h"
#include "tests/common/test_util.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dc {
namespace {

int dcgen_exit(const std::string& args, std::string* output = nullptr) {
  const test::CliRun r = test::dcgen(args);
  if (output) *output = r.output;
  return r.exit_code;
}

#ifdef DC_HAVE_OIIO

const std::filesystem::path kVae = test::data_dir() / "dcae" / "sana_like" / "vae";

Tensor golden(const char* name) {
  return SafetensorsFile::open(kVae.parent_path() / "golden.safetensors").value_or_throw()->tensor(name).value_or_throw();
}

TEST(DcgenImage, DecodeWritesTheDecodedImageAndEncodeReadsItBack) {
  test::TempDir tmp;
  ASSERT_TRUE(write_safetensors(tmp / "z.safetensors", {{"latent", golden("latent_in")}}).ok());
  std::string out;
  for (const char* ext : {".png", ".exr", ".tif"}) {
    const auto image = tmp / (std::string("img") + ext);
    ASSERT_EQ(dcgen_exit("decode '" + kVae.string() + "' '" + (tmp / "z.safetensors").string() + "' '" +
                         image.string() + "'", &out), 0) << out;
    auto back = read_image(image);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    ASSERT_EQ(back->shape(), (Shape{1, 3, 32, 32}));
    // The file holds clamp(decoded) quantized to the format: 8-bit PNG is within 1/255 (×2 in [-1, 1]).
    const auto ref = ops::to_f32_vector(golden("decoded")), got = ops::to_f32_vector(*back);
    double worst = 0;
    for (size_t i = 0; i < ref.size(); ++i)
      worst = std::max(worst, static_cast<double>(std::fabs(std::clamp(ref[i], -1.0f, 1.0f) - got[i])));
    EXPECT_LE(worst, 2.0 / 255 + 1e-6) << ext;
  }
  ASSERT_EQ(dcgen_exit("encode '" + kVae.string() + "' '" + (tmp / "img.png").string() + "' '" +
                       (tmp / "lat.safetensors").string() + "'", &out), 0) << out;
  auto lat = SafetensorsFile::open(tmp / "lat.safetensors");
  ASSERT_TRUE(lat.ok());
  EXPECT_EQ((*lat)->info("latent")->shape, (Shape{1, 8, 4, 4}));
  test::expect_non_constant((*lat)->tensor("latent").value_or_throw());
}

TEST(DcgenImage, BadFilesAndSizesAreExitCode2) {
  test::TempDir tmp;
  std::string out;
  EXPECT_EQ(dcgen_exit("encode '" + kVae.string() + "' '" + (tmp / "missing.png").string() + "' '" +
                       (tmp / "l.safetensors").string() + "'", &out), 2) << out;
  EXPECT_NE(out.find("missing.png"), std::string::npos) << out;
  ASSERT_TRUE(write_image(tmp / "odd.png", ops::rand({1, 3, 30, 32}, 3)).ok());
  EXPECT_EQ(dcgen_exit("encode '" + kVae.string() + "' '" + (tmp / "odd.png").string() + "' '" +
                       (tmp / "l.safetensors").string() + "'", &out), 2) << out;
  EXPECT_NE(out.find("multiples of 8"), std::string::npos) << out;
  ASSERT_TRUE(write_safetensors(tmp / "z.safetensors", {{"latent", golden("latent_in")}}).ok());
  EXPECT_EQ(dcgen_exit("decode '" + kVae.string() + "' '" + (tmp / "z.safetensors").string() + "' '" +
                       (tmp / "x.bmpx").string() + "'", &out), 2) << out;
  EXPECT_FALSE(std::filesystem::exists(tmp / "x.bmpx"));
}

#else

TEST(DcgenImage, WithoutOpenImageIOTheCommandsSaySo) {
  std::string out;
  EXPECT_EQ(dcgen_exit("decode a b c.png", &out), 2);
  EXPECT_NE(out.find("OpenImageIO"), std::string::npos) << out;
}

#endif

}  // namespace
}  // namespace dc
