// Port of resources/demo_model/train/checker.py; each function mirrors the Python one of the same
// name, in the same order of operations, so both give the same decisions and features.
#include "tests/demo/scene_checker.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/base/assert.h"
#include "core/ops/copy.h"

namespace dc::demo {
namespace {

int palette_index(std::string_view color) {
  const auto& p = palette();
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].name == color) return static_cast<int>(i);
  }
  DC_ASSERT(false, "unknown palette color");
  return -1;
}

const NamedPosition& position_of(std::string_view name) {
  for (const auto& p : positions()) {
    if (p.name == name) return p;
  }
  DC_ASSERT(false, "unknown position name");
  return positions().front();
}

std::pair<int, int> cell_of(double cx, double cy) {
  return {std::min(static_cast<int>(cx * 3), 2), std::min(static_cast<int>(cy * 3), 2)};
}

Mask empty_like(const Mask& m, uint8_t value) {
  return Mask{m.height, m.width, std::vector<uint8_t>(m.bits.size(), value)};
}

// Combines the 3x3 neighborhood with AND (erode) or OR (dilate); outside pixels count as `outside`.
Mask neighborhood(const Mask& mask, bool use_and, bool outside) {
  Mask out = empty_like(mask, 0);
  for (int64_t y = 0; y < mask.height; ++y) {
    for (int64_t x = 0; x < mask.width; ++x) {
      bool v = use_and;
      for (int64_t dy = -1; dy <= 1; ++dy) {
        for (int64_t dx = -1; dx <= 1; ++dx) {
          const int64_t ny = y + dy, nx = x + dx;
          const bool inside = ny >= 0 && ny < mask.height && nx >= 0 && nx < mask.width;
          const bool b = inside ? mask.at(ny, nx) : outside;
          v = use_and ? (v && b) : (v || b);
        }
      }
      out.bits[static_cast<size_t>(y * mask.width + x)] = v;
    }
  }
  return out;
}

// Flood fill over `free` pixels from `seeds` with 4-connectivity; marks `reached`.
void flood4(int64_t h, int64_t w, const std::vector<uint8_t>& free, std::vector<uint8_t>& reached,
            std::vector<std::pair<int64_t, int64_t>> stack) {
  while (!stack.empty()) {
    const auto [y, x] = stack.back();
    stack.pop_back();
    const int64_t ny[4] = {y - 1, y + 1, y, y}, nx[4] = {x, x, x - 1, x + 1};
    for (int k = 0; k < 4; ++k) {
      if (ny[k] < 0 || ny[k] >= h || nx[k] < 0 || nx[k] >= w) continue;
      const size_t i = static_cast<size_t>(ny[k] * w + nx[k]);
      if (free[i] && !reached[i]) {
        reached[i] = 1;
        stack.emplace_back(ny[k], nx[k]);
      }
    }
  }
}

// (component with holes filled, hole pixel count): holes are complement pixels no 4-connected path
// links to the outside (a one-pixel frame around the image).
std::pair<Mask, int64_t> fill_holes(const Mask& component) {
  const int64_t h = component.height + 2, w = component.width + 2;
  std::vector<uint8_t> free(static_cast<size_t>(h * w), 1), outside(free.size(), 0);
  for (int64_t y = 0; y < component.height; ++y) {
    for (int64_t x = 0; x < component.width; ++x) free[static_cast<size_t>((y + 1) * w + x + 1)] = !component.at(y, x);
  }
  outside[0] = 1;
  flood4(h, w, free, outside, {{0, 0}});
  Mask filled = empty_like(component, 0);
  for (int64_t y = 0; y < component.height; ++y) {
    for (int64_t x = 0; x < component.width; ++x) {
      filled.bits[static_cast<size_t>(y * component.width + x)] = !outside[static_cast<size_t>((y + 1) * w + x + 1)];
    }
  }
  return {filled, filled.count() - component.count()};
}

int64_t cross(const std::pair<int64_t, int64_t>& o, const std::pair<int64_t, int64_t>& a,
              const std::pair<int64_t, int64_t>& b) {
  return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
}

}  // namespace

const std::vector<PaletteColor>& palette() {
  static const std::vector<PaletteColor> colors = {
      {"red", {220, 30, 30}},    {"orange", {255, 140, 0}},  {"yellow", {250, 225, 30}},
      {"green", {40, 170, 60}},  {"cyan", {40, 210, 220}},   {"blue", {30, 80, 220}},
      {"purple", {130, 50, 180}}, {"pink", {255, 120, 190}}, {"brown", {120, 70, 30}},
      {"white", {245, 245, 245}}, {"gray", {128, 128, 128}}, {"black", {20, 20, 20}},
  };
  return colors;
}

const std::vector<NamedPosition>& positions() {
  static const std::vector<NamedPosition> anchors = {
      {"top left", 0.22, 0.22},    {"top", 0.5, 0.22},    {"top right", 0.78, 0.22},
      {"left", 0.22, 0.5},         {"center", 0.5, 0.5},  {"right", 0.78, 0.5},
      {"bottom left", 0.22, 0.78}, {"bottom", 0.5, 0.78}, {"bottom right", 0.78, 0.78},
  };
  return anchors;
}

const std::vector<std::string_view>& shape_names() {
  static const std::vector<std::string_view> names = {"circle", "square", "triangle", "ring", "star", "cross"};
  return names;
}

int64_t Mask::count() const { return std::count(bits.begin(), bits.end(), uint8_t{1}); }

RgbImage rgb_from_u8_hwc(const Tensor& image) {
  DC_CHECK(image.dtype() == DType::kU8 && image.dim() == 3 && image.size(2) == 3,
           "rgb_from_u8_hwc: expected uint8 [H, W, 3], got " << shape_to_string(image.shape()));
  const Tensor x = ops::contiguous(ops::to_device(image, Device::cpu()));
  RgbImage out{x.size(0), x.size(1), std::vector<double>(static_cast<size_t>(x.numel()))};
  const uint8_t* p = x.data<uint8_t>();
  for (size_t i = 0; i < out.rgb.size(); ++i) out.rgb[i] = p[i];
  return out;
}

RgbImage rgb_from_sample(const Tensor& sample) {
  const Tensor s = sample.dim() == 4 ? sample.select(0, 0) : sample;
  DC_CHECK(s.dim() == 3 && s.size(0) == 3, "rgb_from_sample: expected [1, 3, H, W] or [3, H, W], got "
                                               << shape_to_string(sample.shape()));
  const Tensor x = ops::contiguous(ops::cast(ops::to_device(s, Device::cpu()), DType::kF32));
  const int64_t h = x.size(1), w = x.size(2);
  RgbImage out{h, w, std::vector<double>(static_cast<size_t>(3 * h * w))};
  const float* p = x.data<float>();
  for (int64_t c = 0; c < 3; ++c) {
    for (int64_t i = 0; i < h * w; ++i) {
      const float v = std::clamp(p[c * h * w + i] / 2.0f + 0.5f, 0.0f, 1.0f) * 255.0f;
      out.rgb[static_cast<size_t>(i * 3 + c)] = std::nearbyint(v);  // torch.round: half to even
    }
  }
  return out;
}

RgbImage prepare(const RgbImage& image) {
  const int64_t f = std::max<int64_t>(1, (std::max(image.height, image.width) + kWorkSize - 1) / kWorkSize);
  const int64_t h = image.height / f, w = image.width / f;
  RgbImage out{h, w, std::vector<double>(static_cast<size_t>(h * w * 3))};
  for (int64_t y = 0; y < h; ++y) {
    for (int64_t x = 0; x < w; ++x) {
      for (int c = 0; c < 3; ++c) {
        double sum = 0;  // sums of 8-bit values are exact in any order
        for (int64_t dy = 0; dy < f; ++dy) {
          for (int64_t dx = 0; dx < f; ++dx) sum += image.at(y * f + dy, x * f + dx, c);
        }
        out.rgb[static_cast<size_t>((y * w + x) * 3 + c)] = sum / static_cast<double>(f * f);
      }
    }
  }
  return out;
}

Mask color_mask(const RgbImage& image, std::string_view color) {
  const int target = palette_index(color);
  Mask mask{image.height, image.width, std::vector<uint8_t>(static_cast<size_t>(image.height * image.width), 0)};
  for (int64_t i = 0; i < image.height * image.width; ++i) {
    int best = 0;
    double best_d2 = 0;
    for (size_t k = 0; k < palette().size(); ++k) {
      double d2 = 0;
      for (int c = 0; c < 3; ++c) {
        const double d = image.rgb[static_cast<size_t>(i * 3 + c)] - palette()[k].rgb[static_cast<size_t>(c)];
        d2 += d * d;
      }
      if (k == 0 || d2 < best_d2) {  // strict: ties keep the earlier color, as numpy's argmin
        best = static_cast<int>(k);
        best_d2 = d2;
      }
    }
    mask.bits[static_cast<size_t>(i)] = best == target && best_d2 <= kMaxColorDistance * kMaxColorDistance;
  }
  return mask;
}

Mask erode3x3(const Mask& mask) { return neighborhood(mask, true, true); }
Mask dilate3x3(const Mask& mask) { return neighborhood(mask, false, false); }

std::optional<Mask> largest_component(const Mask& mask) {
  std::vector<int32_t> labels(mask.bits.size(), 0);
  std::vector<int64_t> areas;
  for (int64_t y0 = 0; y0 < mask.height; ++y0) {
    for (int64_t x0 = 0; x0 < mask.width; ++x0) {
      const size_t i0 = static_cast<size_t>(y0 * mask.width + x0);
      if (!mask.bits[i0] || labels[i0]) continue;
      const int32_t label = static_cast<int32_t>(areas.size()) + 1;
      labels[i0] = label;
      std::vector<std::pair<int64_t, int64_t>> stack = {{y0, x0}};
      int64_t area = 0;
      while (!stack.empty()) {
        const auto [y, x] = stack.back();
        stack.pop_back();
        ++area;
        const int64_t ny[4] = {y - 1, y + 1, y, y}, nx[4] = {x, x, x - 1, x + 1};
        for (int k = 0; k < 4; ++k) {
          if (ny[k] < 0 || ny[k] >= mask.height || nx[k] < 0 || nx[k] >= mask.width) continue;
          const size_t i = static_cast<size_t>(ny[k] * mask.width + nx[k]);
          if (mask.bits[i] && !labels[i]) {
            labels[i] = label;
            stack.emplace_back(ny[k], nx[k]);
          }
        }
      }
      areas.push_back(area);
    }
  }
  if (areas.empty()) return std::nullopt;
  const int32_t best = static_cast<int32_t>(std::max_element(areas.begin(), areas.end()) - areas.begin()) + 1;
  Mask out = empty_like(mask, 0);
  for (size_t i = 0; i < labels.size(); ++i) out.bits[i] = labels[i] == best;
  return out;
}

double convex_hull_area(const Mask& mask) {
  std::vector<std::pair<int64_t, int64_t>> pts;  // (x, y) corners of the first and last pixel of each row
  for (int64_t y = 0; y < mask.height; ++y) {
    int64_t x0 = -1, x1 = -1;
    for (int64_t x = 0; x < mask.width; ++x) {
      if (mask.at(y, x)) {
        if (x0 < 0) x0 = x;
        x1 = x + 1;
      }
    }
    if (x0 < 0) continue;
    for (auto p : {std::pair{x0, y}, std::pair{x0, y + 1}, std::pair{x1, y}, std::pair{x1, y + 1}}) pts.push_back(p);
  }
  std::sort(pts.begin(), pts.end());
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  if (pts.size() < 3) return 0.0;
  std::vector<std::pair<int64_t, int64_t>> lower, upper;
  for (const auto& p : pts) {
    while (lower.size() >= 2 && cross(lower[lower.size() - 2], lower.back(), p) <= 0) lower.pop_back();
    lower.push_back(p);
  }
  for (auto it = pts.rbegin(); it != pts.rend(); ++it) {
    while (upper.size() >= 2 && cross(upper[upper.size() - 2], upper.back(), *it) <= 0) upper.pop_back();
    upper.push_back(*it);
  }
  std::vector<std::pair<int64_t, int64_t>> hull(lower.begin(), lower.end() - 1);
  hull.insert(hull.end(), upper.begin(), upper.end() - 1);
  int64_t area2 = 0;
  for (size_t i = 0; i < hull.size(); ++i) {
    const auto& a = hull[i];
    const auto& b = hull[(i + 1) % hull.size()];
    area2 += a.first * b.second - b.first * a.second;
  }
  return std::abs(static_cast<double>(area2)) / 2.0;
}

ShapeFeatures shape_features(const Mask& component) {
  const auto [filled, holes] = fill_holes(component);
  const int64_t area = filled.count();
  int64_t y0 = filled.height, y1 = -1, x0 = filled.width, x1 = -1;
  for (int64_t y = 0; y < filled.height; ++y) {
    for (int64_t x = 0; x < filled.width; ++x) {
      if (!filled.at(y, x)) continue;
      y0 = std::min(y0, y), y1 = std::max(y1, y), x0 = std::min(x0, x), x1 = std::max(x1, x);
    }
  }
  const double hull = convex_hull_area(filled);
  ShapeFeatures f;
  f.hole_fraction = static_cast<double>(holes) / static_cast<double>(area);
  f.solidity = hull > 0 ? static_cast<double>(area) / hull : 0.0;
  f.fill = static_cast<double>(area) / static_cast<double>((y1 - y0 + 1) * (x1 - x0 + 1));
  return f;
}

std::string classify_shape(const ShapeFeatures& f) {
  if (f.hole_fraction >= kRingMinHoleFraction) return "ring";
  if (f.solidity < kConvexMinSolidity) return f.solidity + f.fill < kStarMaxSolidityPlusFill ? "star" : "cross";
  if (f.fill >= kSquareMinFill) return "square";
  return f.fill >= kCircleMinFill ? "circle" : "triangle";
}

ShapeCheck check_shape(const RgbImage& work, std::string_view color, std::string_view position,
                       std::string_view shape) {
  ShapeCheck out;
  const Mask mask = color_mask(work, color);
  std::optional<Mask> component = largest_component(dilate3x3(erode3x3(mask)));
  if (!component) return out;
  // Give back the thin tips the opening cut off (star points, corners).
  const Mask grown = dilate3x3(dilate3x3(*component));
  for (size_t i = 0; i < grown.bits.size(); ++i) component->bits[i] = mask.bits[i] && grown.bits[i];
  out.area = component->count();
  if (out.area == 0 || static_cast<double>(out.area) < kMinAreaFraction * static_cast<double>(work.height * work.width)) {
    return out;
  }
  double sx = 0, sy = 0;
  for (int64_t y = 0; y < work.height; ++y) {
    for (int64_t x = 0; x < work.width; ++x) {
      if (component->at(y, x)) sx += static_cast<double>(x), sy += static_cast<double>(y);
    }
  }
  out.cx = (sx / static_cast<double>(out.area) + 0.5) / static_cast<double>(work.width);
  out.cy = (sy / static_cast<double>(out.area) + 0.5) / static_cast<double>(work.height);
  out.features = shape_features(*component);
  out.detected = classify_shape(out.features);
  out.found = true;
  const NamedPosition& p = position_of(position);
  out.region_ok = cell_of(out.cx, out.cy) == cell_of(p.x, p.y);
  out.shape_ok = out.detected == shape;
  return out;
}

}  // namespace dc::demo
