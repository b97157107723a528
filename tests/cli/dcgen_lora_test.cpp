// `dcgen generate --lora FILE[:STRENGTH]` on the tiny DC-Gen-FLUX pipeline with a kohya LoRA
// made for its transformer (tests/reference/make_flux_lora_goldens.py).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/elementwise.h"
#include "tests/cli/dcgen_runner.h"
#include "tests/cli/render_project_util.h"
#include "tests/common/test_util.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dc {
namespace {

using test::dcgen;
using test::q;

const std::filesystem::path kPipe = test::data_dir() / "flux_pipeline" / "tiny-dcgen-flux";
const std::filesystem::path kStyle = test::data_dir() / "flux_lora" / "tiny-dcgen-flux" / "style.safetensors";
const std::string kJob = "generate --model " + q(kPipe) + " --device cpu --steps 2 --width 32 --height 32 " +
                         "--prompt 'a yellow star' --seed 42 ";

Tensor image_of(const std::filesystem::path& file) {
  auto f = SafetensorsFile::open(file);
  EXPECT_TRUE(f.ok()) << file;
  return f.ok() ? (*f)->tensor("image").value_or_throw() : Tensor();
}

TEST(DcgenLoRA, ChangesTheImageAndZeroStrengthDoesNot) {
  test::TempDir tmp;
  ASSERT_EQ(dcgen(kJob + "--out " + q(tmp / "base.safetensors")).exit_code, 0);
  const test::CliRun styled = dcgen(kJob + "--lora " + q(kStyle) + ":0.8 --out " + q(tmp / "styled.safetensors"));
  ASSERT_EQ(styled.exit_code, 0) << styled.output;
  ASSERT_EQ(dcgen(kJob + "--lora " + q(kStyle) + ":0 --out " + q(tmp / "zero.safetensors")).exit_code, 0);
  ASSERT_EQ(dcgen(kJob + "--lora " + q(kStyle) + " --out " + q(tmp / "full.safetensors")).exit_code, 0);
  const Tensor base = image_of(tmp / "base.safetensors");
  EXPECT_LT(test::image_psnr(image_of(tmp / "styled.safetensors"), base), 40.0);
  EXPECT_EQ(ops::max_abs_diff(image_of(tmp / "zero.safetensors"), base), 0.0);
  EXPECT_GT(ops::max_abs_diff(image_of(tmp / "full.safetensors"), image_of(tmp / "styled.safetensors")), 0.0);
  // Two LoRAs (here the same file twice) add up: 0.5 + 0.3 is 0.8, to float rounding.
  ASSERT_EQ(
      dcgen(kJob + "--lora " + q(kStyle) + ":0.5 --lora " + q(kStyle) + ":0.3 --out " + q(tmp / "sum.safetensors"))
          .exit_code,
      0);
  EXPECT_GT(test::image_psnr(image_of(tmp / "sum.safetensors"), image_of(tmp / "styled.safetensors")), 80.0);
}

#ifdef DC_HAVE_OIIO
// The PNG says which LoRAs made it, the way A1111 and Civitai read it.
TEST(DcgenLoRA, PngMetadataRecordsTheLoRAs) {
  test::TempDir tmp;
  const auto out = tmp / "star.png";
  const test::CliRun r = dcgen(kJob + "--lora " + q(kStyle) + ":0.8 --out " + q(out));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto meta = read_image_metadata(out);
  ASSERT_TRUE(meta) << meta.error().to_string();
  std::ifstream in(test::data_dir() / "flux_lora" / "cases.json");
  const std::string hash = nlohmann::json::parse(in)["pipeline_loras"][0]["addnet_sha256"]["style.safetensors"];
  const std::string params = meta->at("parameters");
  EXPECT_EQ(params.rfind("a yellow star <lora:style:0.8>\n", 0), 0u) << params;
  EXPECT_NE(params.find("Lora hashes: \"style: " + hash.substr(0, 12) + "\""), std::string::npos) << params;
  const auto json = nlohmann::json::parse(meta->at("dcstudio"));
  EXPECT_EQ(json["prompt"], "a yellow star");
  ASSERT_EQ(json["loras"].size(), 1u);
  EXPECT_EQ(json["loras"][0]["name"], "style");
  EXPECT_EQ(json["loras"][0]["strength"], 0.8);
  EXPECT_EQ(json["loras"][0]["sha256"], hash);
}
#endif

TEST(DcgenLoRA, BadLoRAsExitWithCode2NamingTheFile) {
  test::TempDir tmp;
  const auto out = tmp / "x.safetensors";
  const auto other = test::data_dir() / "flux_lora" / "dcgen_c32_guidance" / "kohya.safetensors";
  const test::CliRun misfit = dcgen(kJob + "--lora " + q(other) + " --out " + q(out));
  EXPECT_EQ(misfit.exit_code, 2) << misfit.output;
  EXPECT_NE(misfit.output.find("kohya.safetensors"), std::string::npos) << misfit.output;
  const test::CliRun missing = dcgen(kJob + "--lora " + q(tmp / "gone.safetensors") + ":0.5 --out " + q(out));
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("gone.safetensors"), std::string::npos) << missing.output;
  EXPECT_EQ(dcgen(kJob + "--lora :0.5 --out " + q(out)).exit_code, 2);
  EXPECT_EQ(dcgen(kJob + "--lora " + q(kStyle) + ":inf --out " + q(out)).exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(out));
}

// A project's shot LoRAs ("loras": [{path relative to the project, strength}]) reach the render.
TEST(DcgenLoRA, RenderAppliesShotLoRAs) {
  test::TempDir tmp;
  std::filesystem::create_directories(tmp / "loras");
  std::filesystem::copy_file(kStyle, tmp / "loras" / "ink.safetensors");
  nlohmann::json plain = test::render::image_shot("plain", 5), styled = test::render::image_shot("styled", 5),
                 missing = test::render::image_shot("missing", 5);
  styled["loras"] = {{{"path", "loras/ink.safetensors"}, {"strength", 0.8}}};
  missing["loras"] = {{{"path", "loras/gone.safetensors"}}};
  const auto project = test::render::write_project(tmp.path(), {plain, styled, missing}, "safetensors");
  const test::CliRun r = dcgen(test::render::render(project));
  EXPECT_EQ(r.exit_code, 1) << r.output;  // the shot with a missing LoRA fails, the others render
  EXPECT_NE(r.output.find("gone.safetensors"), std::string::npos) << r.output;
  const auto out = tmp / "renders";
  const Tensor a = image_of(out / "plain.safetensors"), b = image_of(out / "styled.safetensors");
  EXPECT_LT(test::image_psnr(a, b), 40.0);
  auto file = SafetensorsFile::open(out / "styled.safetensors");
  ASSERT_TRUE(file.ok());
  const std::string params = (*file)->metadata().at("parameters");
  EXPECT_EQ(params.rfind("shot styled, a red cube <lora:ink:0.8>\n", 0), 0u) << params;
  // The same shot through generate gives the same pixels.
  ASSERT_EQ(dcgen("generate --model " + q(kPipe) + " --device cpu --steps 2 --width 32 --height 32 --prompt " +
                  "'shot styled, a red cube' --seed 5 --lora " + q(tmp / "loras" / "ink.safetensors") + ":0.8 --out " +
                  q(tmp / "g.safetensors"))
                .exit_code,
            0);
  EXPECT_EQ(ops::max_abs_diff(image_of(tmp / "g.safetensors"), b), 0.0);

  // --resume: untouched shots are kept; a LoRA file replaced in place (same name and shapes,
  // other values) renders its shot again.
  const test::CliRun again = dcgen(test::render::render(project) + " --resume --shots plain,styled");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("2 already finished, 0 to render"), std::string::npos) << again.output;
  {
    auto lora = SafetensorsFile::open(kStyle);
    ASSERT_TRUE(lora.ok());
    std::vector<std::pair<std::string, Tensor>> scaled;
    for (const std::string& name : (*lora)->tensor_names()) {
      Tensor t = ops::clone(*(*lora)->tensor(name));
      if (name.find("lora_B") != std::string::npos || name.find("lora_up") != std::string::npos) {
        t = ops::scale(t, 2.0f);
      }
      scaled.emplace_back(name, t);
    }
    ASSERT_TRUE(write_safetensors(tmp / "loras" / "ink.safetensors", scaled, (*lora)->metadata()).ok());
  }
  const test::CliRun changed = dcgen(test::render::render(project) + " --resume --shots plain,styled");
  EXPECT_EQ(changed.exit_code, 0) << changed.output;
  EXPECT_NE(changed.output.find("1 already finished, 1 to render"), std::string::npos) << changed.output;
  EXPECT_NE(changed.output.find("the shot or its LoRA files changed"), std::string::npos) << changed.output;
  EXPECT_GT(ops::max_abs_diff(image_of(out / "styled.safetensors"), b), 0.0);
}

}  // namespace
}  // namespace dc
