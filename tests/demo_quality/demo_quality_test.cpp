// Proof of meaning for the embedded demo model (issue 4): dcgen's own pipeline draws the
// held-out evaluation prompts of resources/demo_model/train/record/eval_prompts.json (scenes
// and seeds never used in training) and the procedural checker (tests/demo/scene_checker.h)
// scores each picture: the named color in the named region in >= 90% of the images, the named
// shape class in >= 70% (every shape of an image must pass, as evaluate.py counts).
//
// ctest label `demo_quality` (CI runs `-LE "gpu|demo_quality"` while the shipped model misses the
// targets; docs/DEMO_MODEL.md has its latest scores). A contact sheet of every picture is
// written to $DC_DEMO_QUALITY_OUT (default: the working directory) as demo_contact_sheet.png
// (green frame: both pass, orange: color/region only, red: neither) when built with OIIO.
//   build/tests/dc_demo_quality [--gtest_also_run_disabled_tests]   DC_DEMO_QUALITY_IMAGES=N (default 24)
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/ops/copy.h"
#include "core/pipeline/embedded_model.h"
#include "core/pipeline/flux_pipeline.h"
#include "tests/common/test_util.h"
#include "tests/demo/scene_checker.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dc::demo {
namespace {

using Json = nlohmann::json;

struct Scored {
  Tensor image;  // [1, 3, H, W] in [-1, 1]
  bool region_ok = true, shape_ok = true;
};

// A grid of the pictures at half size with a 6-pixel frame coloured by the verdict.
Tensor contact_sheet(const std::vector<Scored>& all, int columns) {
  const int64_t side = all.front().image.size(2) / 2, frame = 6, cell = side + 2 * frame;
  const int64_t rows = (static_cast<int64_t>(all.size()) + columns - 1) / columns;
  std::vector<float> px(static_cast<size_t>(3 * rows * cell * columns * cell), 1.0f);
  const int64_t width = columns * cell, height = rows * cell;
  for (size_t k = 0; k < all.size(); ++k) {
    const Tensor img = ops::contiguous(ops::cast(all[k].image, DType::kF32));
    const float* src = img.data<float>();
    const int64_t full = img.size(2);
    const float rgb[3] = {all[k].region_ok ? (all[k].shape_ok ? -1.0f : 1.0f) : 1.0f,
                          all[k].region_ok ? (all[k].shape_ok ? 0.4f : 0.3f) : -1.0f, -1.0f};
    const int64_t oy = static_cast<int64_t>(k) / columns * cell, ox = static_cast<int64_t>(k) % columns * cell;
    for (int c = 0; c < 3; ++c) {
      for (int64_t y = 0; y < cell; ++y) {
        for (int64_t x = 0; x < cell; ++x) {
          float v = rgb[c];
          const int64_t iy = y - frame, ix = x - frame;
          if (iy >= 0 && iy < side && ix >= 0 && ix < side) {  // 2x2 box average
            const float* p = src + c * full * full + 2 * iy * full + 2 * ix;
            v = 0.25f * (p[0] + p[1] + p[full] + p[full + 1]);
          }
          px[static_cast<size_t>((c * height + oy + y) * width + ox + x)] = v;
        }
      }
    }
  }
  return Tensor::from_vector(px, {1, 3, height, width});
}

TEST(DemoModelQuality, DrawsWhatThePromptSays) {
  auto dir = pipeline::embedded_demo_model();
  ASSERT_TRUE(dir) << dir.error().to_string();
  std::ifstream in(std::filesystem::path(DC_SOURCE_DIR) / "resources" / "demo_model" / "train" / "record" /
                   "eval_prompts.json");
  ASSERT_TRUE(in) << "missing record/eval_prompts.json";
  const Json eval = Json::parse(in);
  const char* count_env = std::getenv("DC_DEMO_QUALITY_IMAGES");
  const size_t count = std::min<size_t>(count_env ? std::strtoul(count_env, nullptr, 10) : 24,
                                        eval["entries"].size());
  ASSERT_GE(count, 20u) << "the issue asks for at least 20 held-out prompts";

  auto pipe = pipeline::FluxPipeline::open(*dir, {Device::cpu(), DType::kF32, 0});
  ASSERT_TRUE(pipe) << pipe.error().to_string();
  std::vector<Scored> scored;
  int region_pass = 0, shape_pass = 0;
  for (size_t k = 0; k < count; ++k) {
    const Json& e = eval["entries"][k];
    pipeline::TextToImageRequest r;
    r.prompt = e["prompt"].get<std::string>();
    r.seed = e["seed"].get<uint64_t>();
    r.width = r.height = eval["size"].get<int>();
    r.steps = eval["steps"].get<int>();
    r.guidance = eval["guidance"].get<float>();
    auto result = (*pipe)->generate(r);
    ASSERT_TRUE(result) << r.prompt << ": " << result.error().to_string();
    Scored s{result->images};
    const RgbImage work = prepare(rgb_from_sample(result->images));
    for (const Json& shape : e["scene"]["shapes"]) {
      const ShapeCheck c = check_shape(work, shape["color"].get<std::string>(), shape["position"].get<std::string>(),
                                       shape["shape"].get<std::string>());
      s.region_ok = s.region_ok && c.region_ok;
      s.shape_ok = s.shape_ok && c.shape_ok;
    }
    region_pass += s.region_ok;
    shape_pass += s.shape_ok;
    std::printf("%2zu %s%s  %s\n", k, s.region_ok ? "region " : "       ", s.shape_ok ? "shape" : "     ",
                r.prompt.c_str());
    scored.push_back(std::move(s));
  }
  const double region_rate = double(region_pass) / double(count), shape_rate = double(shape_pass) / double(count);
  std::printf("%zu images: color in region %.2f (target 0.90), shape %.2f (target 0.70)\n", count, region_rate,
              shape_rate);
#ifdef DC_HAVE_OIIO
  const char* out_env = std::getenv("DC_DEMO_QUALITY_OUT");
  const std::filesystem::path sheet = std::filesystem::path(out_env ? out_env : ".") / "demo_contact_sheet.png";
  const Status written = write_image(sheet, contact_sheet(scored, 6));
  EXPECT_TRUE(written.ok()) << written.error().to_string();
  std::printf("contact sheet: %s\n", sheet.c_str());
#endif
  EXPECT_GE(region_rate, 0.90);
  EXPECT_GE(shape_rate, 0.70);
}

}  // namespace
}  // namespace dc::demo
