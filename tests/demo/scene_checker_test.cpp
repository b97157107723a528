// The C++ scene checker against resources/demo_model/train/checker.py on scenes rendered by
// scenes.py (some blurred and noised like generated pictures), written by
// resources/demo_model/train/make_checker_fixtures.py: same constants, and for every check
// (true ones and deliberately false ones) the same decisions and features.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "tests/common/test_util.h"
#include "tests/demo/scene_checker.h"

namespace dc::demo {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

fs::path fixtures() { return fs::path(DC_SOURCE_DIR) / "tests" / "demo" / "fixtures"; }

const Json& expected() {
  static const Json json = [] {
    std::ifstream in(fixtures() / "checker_expected.json");
    return in ? Json::parse(in) : Json::object();
  }();
  return json;
}

Tensor fixture_images() {
  auto file = SafetensorsFile::open(fixtures() / "checker_scenes.safetensors");
  EXPECT_TRUE(file.ok()) << file.error().message();
  auto images = (*file)->tensor("images");
  EXPECT_TRUE(images.ok()) << images.error().message();
  return *images;  // [N, H, W, 3] uint8
}

RgbImage fixture(const Tensor& images, int64_t k) { return rgb_from_u8_hwc(images.select(0, k)); }

TEST(SceneChecker, ConstantsMatchPython) {
  ASSERT_TRUE(expected().contains("constants")) << "missing " << fixtures() / "checker_expected.json";
  const Json& c = expected()["constants"];
  ASSERT_EQ(c["palette"].size(), palette().size());
  for (const auto& [name, rgb] : c["palette"].items()) {  // nlohmann sorts keys: look each one up
    bool seen = false;
    for (const auto& p : palette()) {
      if (p.name != name) continue;
      seen = true;
      for (int i = 0; i < 3; ++i) EXPECT_EQ(p.rgb[static_cast<size_t>(i)], rgb[static_cast<size_t>(i)].get<double>()) << name;
    }
    EXPECT_TRUE(seen) << name;
  }
  for (const auto& p : positions()) {
    ASSERT_TRUE(c["positions"].contains(std::string(p.name))) << p.name;
    EXPECT_EQ(c["positions"][std::string(p.name)][0].get<double>(), p.x) << p.name;
    EXPECT_EQ(c["positions"][std::string(p.name)][1].get<double>(), p.y) << p.name;
  }
  ASSERT_EQ(c["shapes"].size(), shape_names().size());
  for (size_t i = 0; i < shape_names().size(); ++i) EXPECT_EQ(c["shapes"][i].get<std::string>(), shape_names()[i]);
  EXPECT_EQ(c["work_size"].get<int64_t>(), kWorkSize);
  EXPECT_EQ(c["max_color_distance"].get<double>(), kMaxColorDistance);
  EXPECT_EQ(c["min_area_fraction"].get<double>(), kMinAreaFraction);
  EXPECT_EQ(c["ring_min_hole_fraction"].get<double>(), kRingMinHoleFraction);
  EXPECT_EQ(c["convex_min_solidity"].get<double>(), kConvexMinSolidity);
  EXPECT_EQ(c["star_max_solidity_plus_fill"].get<double>(), kStarMaxSolidityPlusFill);
  EXPECT_EQ(c["square_min_fill"].get<double>(), kSquareMinFill);
  EXPECT_EQ(c["circle_min_fill"].get<double>(), kCircleMinFill);
}

// The palette's order matters (nearest-color ties go to the earlier name): scenes.py's order.
TEST(SceneChecker, PaletteOrder) {
  const std::vector<std::string_view> order = {"red", "orange", "yellow", "green", "cyan", "blue",
                                               "purple", "pink", "brown", "white", "gray", "black"};
  ASSERT_EQ(palette().size(), order.size());
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(palette()[i].name, order[i]);
}

TEST(SceneChecker, SameDecisionsAndFeaturesAsPython) {
  ASSERT_TRUE(expected().contains("images"));
  const Tensor images = fixture_images();
  ASSERT_EQ(images.size(0), static_cast<int64_t>(expected()["images"].size()));
  int passes = 0, failures = 0;
  for (int64_t k = 0; k < images.size(0); ++k) {
    const RgbImage work = prepare(fixture(images, k));
    for (const Json& want : expected()["images"][static_cast<size_t>(k)]["checks"]) {
      const std::string color = want["color"], position = want["position"], shape = want["shape"];
      SCOPED_TRACE("image " + std::to_string(k) + ": " + color + " " + shape + " at " + position);
      const ShapeCheck got = check_shape(work, color, position, shape);
      EXPECT_EQ(got.found, want["found"].get<bool>());
      EXPECT_EQ(got.region_ok, want["region_ok"].get<bool>());
      EXPECT_EQ(got.shape_ok, want["shape_ok"].get<bool>());
      EXPECT_EQ(got.area, want["area"].get<int64_t>());
      if (!want["found"].get<bool>()) {
        EXPECT_TRUE(got.detected.empty());
        ++failures;
        continue;
      }
      EXPECT_EQ(got.detected, want["detected"].get<std::string>());
      EXPECT_NEAR(got.cx, want["cx"].get<double>(), 1e-12);
      EXPECT_NEAR(got.cy, want["cy"].get<double>(), 1e-12);
      EXPECT_NEAR(got.features.hole_fraction, want["hole_fraction"].get<double>(), 1e-12);
      EXPECT_NEAR(got.features.solidity, want["solidity"].get<double>(), 1e-12);
      EXPECT_NEAR(got.features.fill, want["fill"].get<double>(), 1e-12);
      (got.region_ok && got.shape_ok ? passes : failures)++;
    }
  }
  // The fixture holds both outcomes, so neither "always yes" nor "always no" passes.
  EXPECT_GT(passes, 10);
  EXPECT_GT(failures, 10);
}

// Every shape class and every failure kind occurs in the fixture (the test above covers them).
TEST(SceneChecker, FixtureCoversEveryClassAndFailure) {
  std::set<std::string> detected;
  bool absent = false, wrong_region = false, wrong_shape = false;
  for (const Json& image : expected()["images"]) {
    for (const Json& c : image["checks"]) {
      if (!c["found"].get<bool>()) absent = true;
      else {
        detected.insert(c["detected"].get<std::string>());
        wrong_region |= !c["region_ok"].get<bool>();
        wrong_shape |= !c["shape_ok"].get<bool>();
      }
    }
  }
  EXPECT_EQ(detected.size(), shape_names().size());
  EXPECT_TRUE(absent && wrong_region && wrong_shape);
}

// A picture larger than the working size is box-averaged: a fixture blown up 3x (pixel
// replication) and with a ragged edge prepares back to the fixture itself.
TEST(SceneChecker, PrepareBoxAveragesLargePictures) {
  const Tensor images = fixture_images();
  const RgbImage small = fixture(images, 2);
  test::expect_non_constant(images.select(0, 2).flatten(0, 2));
  const int64_t f = 3, extra = 2;
  RgbImage big{small.height * f + extra, small.width * f + extra, {}};
  big.rgb.resize(static_cast<size_t>(big.height * big.width * 3));
  for (int64_t y = 0; y < big.height; ++y) {
    for (int64_t x = 0; x < big.width; ++x) {
      for (int c = 0; c < 3; ++c) {
        const int64_t sy = std::min(y / f, small.height - 1), sx = std::min(x / f, small.width - 1);
        big.rgb[static_cast<size_t>((y * big.width + x) * 3 + c)] = small.at(sy, sx, c);
      }
    }
  }
  const RgbImage work = prepare(big);  // 290 px -> factor 3 -> 96 px (2 px cropped)
  ASSERT_EQ(work.height, small.height);
  ASSERT_EQ(work.width, small.width);
  EXPECT_EQ(work.rgb, small.rgb);
}

// Pipeline samples in [-1, 1] become bytes as the Python evaluation makes them:
// round(clamp(x / 2 + 0.5, 0, 1) * 255), channel planes to interleaved RGB.
TEST(SceneChecker, SampleToBytesLikeThePythonEvaluation) {
  const std::vector<float> values = {0.0f, -1.0f, 1.0f, 2.0f,     // R: 127.5 -> 128, 0, 255, clamped 255
                                     -0.5f, 0.5f, -3.0f, 0.99f,   // G: 63.75 -> 64, 191.25 -> 191, 0, 253.725 -> 254
                                     0.2f, 0.2f, 0.2f, 0.2f};     // B: 153
  const RgbImage image = rgb_from_sample(Tensor::from_vector(values, {1, 3, 2, 2}));
  ASSERT_EQ(image.height, 2);
  ASSERT_EQ(image.width, 2);
  const std::vector<double> want = {128, 64, 153, 0, 191, 153, 255, 0, 153, 255, 254, 153};
  EXPECT_EQ(image.rgb, want);
}

}  // namespace
}  // namespace dc::demo
