// `dcgen generate` on the tiny DC-Gen-FLUX pipeline folder (tests/data/flux_pipeline).
#include <gtest/gtest.h>

#include <csignal>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "tests/cli/dcgen_runner.h"
#include "tests/common/test_util.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dc {
namespace {

using test::dcgen;
using test::q;

const std::filesystem::path kPipe = test::data_dir() / "flux_pipeline" / "tiny-dcgen-flux";
const std::string kBase = "generate --model " + q(kPipe) + " --device cpu --steps 2 --width 32 --height 32 ";

TEST(DcgenGenerate, WritesTheImageWithItsParameters) {
  test::TempDir tmp;
#ifdef DC_HAVE_OIIO
  const auto out = tmp / "star.png";
  const test::CliRun r = dcgen(kBase + "--prompt 'a yellow star' --seed 42 --guidance 2.5 --out " + q(out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seed 42"), std::string::npos) << r.output;
  auto meta = read_image_metadata(out);
  ASSERT_TRUE(meta) << meta.error().to_string();
  const std::string params = meta->at("parameters");
  EXPECT_EQ(params.rfind("a yellow star\n", 0), 0u) << params;
  for (const char* field : {"Steps: 2", "Seed: 42", "Size: 32x32", "Sampler: Euler", "Distilled CFG Scale: 2.5",
                            "Model: tiny-dcgen-flux"}) {
    EXPECT_NE(params.find(field), std::string::npos) << field << " in " << params;
  }
  const auto json = nlohmann::json::parse(meta->at("dcstudio"));
  EXPECT_EQ(json["seed"], 42);
  EXPECT_EQ(json["prompt"], "a yellow star");
  auto image = read_image(out);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->shape(), (Shape{1, 3, 32, 32}));
#endif
  // The same job to safetensors gives the same pixels (up to the PNG's 8 bits).
  const auto raw = tmp / "star.safetensors";
  ASSERT_EQ(dcgen(kBase + "--prompt 'a yellow star' --seed 42 --guidance 2.5 --out " + q(raw)).exit_code, 0);
  auto file = SafetensorsFile::open(raw);
  ASSERT_TRUE(file);
  auto pixels = (*file)->tensor("image");
  ASSERT_TRUE(pixels);
  EXPECT_EQ(pixels->shape(), (Shape{1, 3, 32, 32}));
#ifdef DC_HAVE_OIIO
  auto png = read_image(tmp / "star.png");
  double max_diff = 0;
  for (int64_t i = 0; i < png->numel(); ++i) {
    const float v = std::clamp(pixels->data<float>()[i], -1.0f, 1.0f);
    max_diff = std::max(max_diff, double(std::abs(v - png->data<float>()[i])));
  }
  EXPECT_LE(max_diff, 2.0 / 255.0 + 1e-6);
#endif
}

TEST(DcgenGenerate, BatchWritesNumberedFilesWithConsecutiveSeeds) {
  test::TempDir tmp;
  const test::CliRun r = dcgen(kBase + "--prompt 'two rings' --seed 5 --batch 2 --out " + q(tmp / "ring.safetensors"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(tmp / "ring-1.safetensors"));
  EXPECT_TRUE(std::filesystem::exists(tmp / "ring-2.safetensors"));
  EXPECT_NE(r.output.find("seed 6"), std::string::npos) << r.output;
}

TEST(DcgenGenerate, InitialNoiseFileIsUsed) {
  test::TempDir tmp;
  // The tiny VAE has 8 latent channels at 1/4 scale: a 32² image takes [1, 8, 8, 8] noise.
  const Tensor noise = ops::randn({1, 8, 8, 8}, 77);
  ASSERT_TRUE(write_safetensors(tmp / "noise.safetensors", {{"noise", noise}}));
  const std::string job = kBase + "--prompt 'x' --init-noise " + q(tmp / "noise.safetensors") + " --seed ";
  ASSERT_EQ(dcgen(job + "1 --out " + q(tmp / "a.safetensors")).exit_code, 0);
  ASSERT_EQ(dcgen(job + "2 --out " + q(tmp / "b.safetensors")).exit_code, 0);  // the seed no longer matters
  const Tensor a = *(*SafetensorsFile::open(tmp / "a.safetensors"))->tensor("image");
  const Tensor b = *(*SafetensorsFile::open(tmp / "b.safetensors"))->tensor("image");
  EXPECT_EQ(ops::relative_l2(a, b), 0.0);
  const Tensor wrong = ops::randn({1, 8, 4, 4}, 77);
  ASSERT_TRUE(write_safetensors(tmp / "wrong.safetensors", {{"noise", wrong}}));
  const test::CliRun bad = dcgen(kBase + "--prompt 'x' --init-noise " + q(tmp / "wrong.safetensors") + " --out " +
                                 q(tmp / "c.safetensors"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("initial noise"), std::string::npos) << bad.output;
  EXPECT_FALSE(std::filesystem::exists(tmp / "c.safetensors"));
}

TEST(DcgenGenerate, BadRequestsExitWithCode2AndWriteNothing) {
  test::TempDir tmp;
  const auto out = tmp / "x.safetensors";
  EXPECT_EQ(dcgen(kBase + "--prompt x --width 30 --out " + q(out)).exit_code, 2);
  EXPECT_EQ(dcgen(kBase + "--prompt x --out " + q(tmp / "x.bmp")).exit_code, 2);
  EXPECT_EQ(dcgen(kBase + "--prompt x --vram-budget lots --out " + q(out)).exit_code, 2);
  EXPECT_EQ(dcgen("generate --model " + q(tmp.path()) + " --prompt x --out " + q(out)).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace dc

namespace dc {
namespace {

TEST(DcgenGenerate, CtrlCCancelsCleanlyAndWritesNothing) {
  test::TempDir tmp;
  const auto out = tmp / "never.png";
  const auto log = tmp / "log.txt";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the child becomes dcgen, its output going to the log
    const std::string cmd = std::string("exec ") + DCGEN_PATH + " generate --model " + test::q(kPipe) +
                            " --device cpu --steps 400 --width 32 --height 32 --prompt 'a slow job' --out " +
                            test::q(out) + " >" + test::q(log) + " 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until denoising has started, then interrupt as a terminal's Ctrl-C would.
  bool denoising = false;
  for (int i = 0; i < 600 && !denoising && waitpid(pid, nullptr, WNOHANG) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    denoising = text.find("denoise") != std::string::npos;
  }
  if (!denoising) kill(pid, SIGKILL);
  ASSERT_TRUE(denoising);
  kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("cancelled"), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(out));
  for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
    EXPECT_EQ(entry.path().filename() == "log.txt", true) << "left behind: " << entry.path();
  }
}

}  // namespace
}  // namespace dc

namespace dc {
namespace {

// No --model: the embedded demo model, at the size its model card declares (512²).
TEST(DcgenGenerate, UsesTheEmbeddedDemoModelByDefault) {
  test::TempDir tmp;
  const auto out = tmp / "demo.safetensors";
  const test::CliRun r = test::dcgen("generate --device cpu --steps 2 --seed 3 --prompt 'a red circle on the left' "
                                     "--out " + test::q(out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("embedded demo model"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("512x512"), std::string::npos) << r.output;
  auto file = SafetensorsFile::open(out);
  ASSERT_TRUE(file) << file.error().to_string();
  auto image = (*file)->tensor("image");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->shape(), (Shape{1, 3, 512, 512}));
  test::expect_non_constant(*image);
#ifdef DC_HAVE_OIIO
  // Its pictures say they are a demo model's.
  const auto png = tmp / "demo.png";
  ASSERT_EQ(test::dcgen("generate --device cpu --steps 1 --width 64 --height 64 --prompt x --out " + test::q(png))
                .exit_code, 0);
  auto meta = read_image_metadata(png);
  ASSERT_TRUE(meta) << meta.error().to_string();
  EXPECT_EQ(nlohmann::json::parse(meta->at("dcstudio")).value("demo_model", false), true);
  EXPECT_NE(meta->at("parameters").find("Model: DC Studio demo model"), std::string::npos) << meta->at("parameters");
#endif
}

}  // namespace
}  // namespace dc
