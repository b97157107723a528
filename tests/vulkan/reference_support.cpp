#include "tests/vulkan/reference_support.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dc::gpu::vulkan::test {

bool any_vulkan_device() {
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.apiVersion = VK_API_VERSION_1_2;
  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  VkInstance instance = VK_NULL_HANDLE;
  if (vkCreateInstance(&info, nullptr, &instance) != VK_SUCCESS) return false;
  uint32_t count = 0;
  vkEnumeratePhysicalDevices(instance, &count, nullptr);
  vkDestroyInstance(instance, nullptr);
  return count > 0;
}

std::unique_ptr<Presenter> make_presenter(PresenterOptions options, std::shared_ptr<ValidationLog> log) {
  options.instance.validation = Validation::kRequired;
  options.instance.synchronization_validation = true;
  // Errors fail the test (the fixture checks validation_errors()); warnings are shown.
  options.instance.on_message = [log](MessageSeverity severity, const std::string& text) {
    if (severity != MessageSeverity::kInfo)
      std::fprintf(stderr, "[vulkan %s] %s\n", severity == MessageSeverity::kError ? "error" : "warning",
                   text.c_str());
    if (severity == MessageSeverity::kError && log) {
      std::lock_guard<std::mutex> lock(log->mutex);
      log->errors.push_back(text);
    }
  };
  auto p = Presenter::create(options);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  if (!p) return nullptr;
  return std::move(p).value();
}

namespace {

uint32_t hash(uint32_t x) {  // a small integer mix (lowbias32)
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

float srgb_to_linear(float c) { return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f); }
float linear_to_srgb(float c) { return c <= 0.0031308f ? c * 12.92f : 1.055f * std::pow(c, 1.0f / 2.4f) - 0.055f; }

}  // namespace

std::vector<uint8_t> pattern_u8(uint32_t width, uint32_t height, int channels, uint32_t seed, bool vary_alpha) {
  std::vector<uint8_t> v(static_cast<size_t>(width) * height * channels);
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) {
      uint8_t* px = &v[(static_cast<size_t>(y) * width + x) * channels];
      px[0] = static_cast<uint8_t>(width > 1 ? x * 255 / (width - 1) : 0);
      px[1] = static_cast<uint8_t>(height > 1 ? y * 255 / (height - 1) : 0);
      px[2] = static_cast<uint8_t>(hash(seed * 7919u + y * width + x) & 0xff);
      if (channels == 4) px[3] = vary_alpha ? static_cast<uint8_t>(hash(seed + 31u * (y * width + x)) >> 24) : 255;
    }
  return v;
}

std::vector<float> pattern_f32(uint32_t width, uint32_t height, int channels, uint32_t seed, float lo, float hi) {
  std::vector<float> v(static_cast<size_t>(width) * height * channels);
  const float span = hi - lo;
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) {
      float* px = &v[(static_cast<size_t>(y) * width + x) * channels];
      px[0] = lo + span * (width > 1 ? static_cast<float>(x) / (width - 1) : 0.0f);
      px[1] = lo + span * (height > 1 ? static_cast<float>(y) / (height - 1) : 0.0f);
      px[2] = lo + span * static_cast<float>(hash(seed * 7919u + y * width + x) & 0xffffff) / 16777215.0f;
      if (channels == 4) px[3] = 1.0f;
    }
  return v;
}

StoredImage stored(const HostImage& image) {
  StoredImage s;
  s.width = image.width;
  s.height = image.height;
  const size_t n = static_cast<size_t>(image.width) * image.height * 4;
  s.rgba.resize(n);
  if (is_float(image.format)) {
    pack_rgba(image, s.rgba.data());
  } else {
    std::vector<uint8_t> bytes(n);
    pack_rgba(image, bytes.data());
    // UNORM8 -> float as the Vulkan spec defines it: k / 255.
    for (size_t i = 0; i < n; ++i) s.rgba[i] = static_cast<float>(bytes[i]) / 255.0f;
  }
  return s;
}

std::vector<uint8_t> reference_render(const StoredImage& source, const FrameLook& look, uint32_t target_width,
                                      uint32_t target_height) {
  const shader::PreviewParams p = make_preview_params(look);
  std::vector<uint8_t> out(static_cast<size_t>(target_width) * target_height * 4);
  const float background[3] = {p.background_r, p.background_g, p.background_b};
  const int last_x = static_cast<int>(source.width) - 1, last_y = static_cast<int>(source.height) - 1;
  auto fetch = [&](int x, int y, int c) {
    x = std::clamp(x, 0, last_x);
    y = std::clamp(y, 0, last_y);
    return source.rgba[(static_cast<size_t>(y) * source.width + x) * 4 + c];
  };
  for (uint32_t ty = 0; ty < target_height; ++ty)
    for (uint32_t tx = 0; tx < target_width; ++tx) {
      float shown[3];
      // gl_FragCoord is the pixel centre; the same two float operations as the shader.
      const float sx = (static_cast<float>(tx) + 0.5f - p.offset_x) * p.inv_scale;
      const float sy = (static_cast<float>(ty) + 0.5f - p.offset_y) * p.inv_scale;
      const bool inside = (p.flags & DC_PREVIEW_HAS_SOURCE) && sx >= 0.0f && sy >= 0.0f && sx < p.source_width &&
                          sy < p.source_height;
      if (!inside) {
        for (int c = 0; c < 3; ++c) shown[c] = background[c];
      } else {
        float color[4];
        if (p.flags & DC_PREVIEW_LINEAR_FILTER) {
          const float qx = sx - 0.5f, qy = sy - 0.5f;
          const float bx = std::floor(qx), by = std::floor(qy);
          const float fx = qx - bx, fy = qy - by;
          const int ix = static_cast<int>(bx), iy = static_cast<int>(by);
          for (int c = 0; c < 4; ++c) {
            const float top = fetch(ix, iy, c) * (1.0f - fx) + fetch(ix + 1, iy, c) * fx;
            const float bottom = fetch(ix, iy + 1, c) * (1.0f - fx) + fetch(ix + 1, iy + 1, c) * fx;
            color[c] = top * (1.0f - fy) + bottom * fy;
          }
        } else {
          const int ix = static_cast<int>(std::floor(sx)), iy = static_cast<int>(std::floor(sy));
          for (int c = 0; c < 4; ++c) color[c] = fetch(ix, iy, c);
        }
        const float alpha = std::clamp(color[3], 0.0f, 1.0f);
        for (int c = 0; c < 3; ++c) {
          float v = (color[c] - p.black) * p.inv_range;
          if (p.flags & DC_PREVIEW_DECODE_SRGB) v = srgb_to_linear(std::clamp(v, 0.0f, 1.0f));
          v = v * p.exposure_scale;
          if (p.flags & DC_PREVIEW_REINHARD) v = v / (1.0f + std::max(v, 0.0f));
          v = std::clamp(v, 0.0f, 1.0f);
          if (p.flags & DC_PREVIEW_ENCODE_SRGB) v = linear_to_srgb(v);
          shown[c] = v * alpha + background[c] * (1.0f - alpha);
        }
      }
      uint8_t* px = &out[(static_cast<size_t>(ty) * target_width + tx) * 4];
      for (int c = 0; c < 3; ++c)
        px[c] = static_cast<uint8_t>(std::lround(std::clamp(shown[c], 0.0f, 1.0f) * 255.0f));
      px[3] = 255;
    }
  return out;
}

Difference compare_rgba8(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want, uint32_t width) {
  Difference d;
  if (got.size() != want.size()) {
    d.max = 256;
    d.first = "sizes differ: " + std::to_string(got.size()) + " vs " + std::to_string(want.size());
    return d;
  }
  for (size_t i = 0; i < got.size(); ++i) {
    const int diff = std::abs(static_cast<int>(got[i]) - static_cast<int>(want[i]));
    if (diff == 0) continue;
    ++d.differing;
    if (diff > d.max) {
      d.max = diff;
      const size_t pixel = i / 4;
      d.first = "pixel (" + std::to_string(pixel % width) + ", " + std::to_string(pixel / width) + ") channel " +
                std::to_string(i % 4) + ": got " + std::to_string(got[i]) + ", want " + std::to_string(want[i]);
    }
  }
  return d;
}

std::vector<uint8_t> render(Presenter& presenter, uint32_t width, uint32_t height) {
  auto target = presenter.create_offscreen_target(width, height);
  EXPECT_TRUE(target.ok()) << (target.ok() ? "" : target.error().message);
  if (!target) return {};
  const Status s = presenter.render_offscreen(**target);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  if (!s) return {};
  auto pixels = (*target)->read_back();
  EXPECT_TRUE(pixels.ok()) << (pixels.ok() ? "" : pixels.error().message);
  return pixels.ok() ? std::move(pixels).value() : std::vector<uint8_t>{};
}

FrameLook look_of(const Presenter& presenter, const StoredImage& source, uint32_t target_width,
                  uint32_t target_height, const float background[3]) {
  FrameLook look;
  look.view = map_view(presenter.view(), source.width, source.height, target_width, target_height);
  look.tone = presenter.tone_map();
  look.filter = presenter.filter();
  for (int c = 0; c < 3; ++c) look.background[c] = background[c];
  look.has_source = true;
  look.source_width = source.width;
  look.source_height = source.height;
  return look;
}

}  // namespace dc::gpu::vulkan::test
