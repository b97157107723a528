// The demo model's procedural checker, a port of resources/demo_model/train/checker.py: is the
// named color in the named region of a picture, and does that colored blob have the named shape?
// It is how the tests prove that the embedded demo model draws what its prompt says.
//
//   RgbImage image = rgb_from_sample(result.images.slice(0, 0, 1));  // dcgen's [1, 3, H, W] in [-1, 1]
//   ShapeCheck c = check_shape(prepare(image), "yellow", "top", "star");
//   if (c.region_ok && c.shape_ok) ...
//
// Steps (checker.py's docstring has the reasons): box-average to <= 128 px a side; mask the pixels
// whose nearest palette color is the named one (within 100 sRGB units); the largest 4-connected
// component after a 3x3 opening picks the shape, which is the mask within two pixels of it; its
// centroid's cell of the 3x3 grid of thirds is its position; hole fraction, solidity (convex hull
// of the pixel squares) and bounding-box fill give its class. Every constant equals checker.py's
// (the fixture test compares them).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor/tensor.h"

namespace dc::demo {

struct PaletteColor {
  std::string_view name;
  std::array<double, 3> rgb;  // sRGB 0..255
};
struct NamedPosition {
  std::string_view name;
  double x, y;  // anchor, fractions of the image (y down)
};

// scenes.py's PALETTE, POSITIONS and SHAPES, in the same order (order breaks nearest-color ties).
const std::vector<PaletteColor>& palette();
const std::vector<NamedPosition>& positions();
const std::vector<std::string_view>& shape_names();

inline constexpr int64_t kWorkSize = 128;
inline constexpr double kMaxColorDistance = 100.0;
inline constexpr double kMinAreaFraction = 0.003;
inline constexpr double kRingMinHoleFraction = 0.10;
inline constexpr double kConvexMinSolidity = 0.80;
inline constexpr double kStarMaxSolidityPlusFill = 1.15;
inline constexpr double kSquareMinFill = 0.88;
inline constexpr double kCircleMinFill = 0.65;

// An RGB picture, [height, width, 3] row-major, values 0..255.
struct RgbImage {
  int64_t height = 0, width = 0;
  std::vector<double> rgb;
  double at(int64_t y, int64_t x, int c) const { return rgb[static_cast<size_t>((y * width + x) * 3 + c)]; }
};

// uint8 [H, W, 3] (a fixture) as is.
RgbImage rgb_from_u8_hwc(const Tensor& image);
// A pipeline sample [1, 3, H, W] or [3, H, W] in [-1, 1] (any float dtype, any device), rounded to
// 8 bits the way the Python evaluation saves its pictures: round(clamp(x / 2 + 0.5, 0, 1) * 255).
RgbImage rgb_from_sample(const Tensor& sample);

// Box average by the smallest integer factor that brings the longer side to <= kWorkSize (a
// remainder is cropped).
RgbImage prepare(const RgbImage& image);

// A binary mask [height, width] (row-major, 0/1).
struct Mask {
  int64_t height = 0, width = 0;
  std::vector<uint8_t> bits;
  bool at(int64_t y, int64_t x) const { return bits[static_cast<size_t>(y * width + x)] != 0; }
  int64_t count() const;
};

Mask color_mask(const RgbImage& image, std::string_view color);
Mask erode3x3(const Mask& mask);   // outside the image counts as set
Mask dilate3x3(const Mask& mask);
// The largest 4-connected component (the first in raster order among equals), if any pixel is set.
std::optional<Mask> largest_component(const Mask& mask);

struct ShapeFeatures {
  double hole_fraction = 0;  // holes / (area + holes)
  double solidity = 0;       // filled area / convex hull area of the pixel squares
  double fill = 0;           // filled area / bounding box area
};
ShapeFeatures shape_features(const Mask& component);
std::string classify_shape(const ShapeFeatures& f);
double convex_hull_area(const Mask& mask);

struct ShapeCheck {
  bool found = false;      // a component of at least kMinAreaFraction of the image
  bool region_ok = false;  // its centroid lies in the named position's cell
  bool shape_ok = false;   // it is classified as the named shape
  std::string detected;    // the class, empty when not found
  int64_t area = 0;        // pixels of the component (before filling holes)
  double cx = 0, cy = 0;   // centroid, fractions of the prepared image
  ShapeFeatures features;
};

// Checks one named shape on a prepare()d image. Unknown color or position names are programmer
// errors (the prompts come from scenes.py's vocabulary).
ShapeCheck check_shape(const RgbImage& work, std::string_view color, std::string_view position,
                       std::string_view shape);

}  // namespace dc::demo
