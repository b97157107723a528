// Test helpers for gpu/vulkan: a presenter with validation on (errors fail the test),
// test images, and the CPU reference of shaders/preview.frag (the same float operations
// in the same order, so nearest sampling picks the same texels and colours round the same).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gpu/vulkan/present/presenter.h"

namespace dc::gpu::vulkan::test {

// True when the loader finds at least one Vulkan device (tests skip only when none exists).
bool any_vulkan_device();

// Validation errors as the layer reports them, kept outside the presenter so that errors
// reported while it is destroyed (objects left alive at vkDestroyDevice) are seen too.
struct ValidationLog {
  std::mutex mutex;
  std::vector<std::string> errors;
};

// Presenter with VK_LAYER_KHRONOS_validation (+ synchronization validation) required; errors
// go to `log` (when given) and, with warnings, to stderr.
std::unique_ptr<Presenter> make_presenter(PresenterOptions options = {},
                                          std::shared_ptr<ValidationLog> log = nullptr);

// A source image as the device stores it: RGBA floats (u8 images as k / 255).
struct StoredImage {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<float> rgba;
};

// Test pattern: R a horizontal ramp, G a vertical ramp, B per-pixel hash noise (so a
// one-pixel shift in sampling changes many pixels), A opaque or a pattern when asked.
std::vector<uint8_t> pattern_u8(uint32_t width, uint32_t height, int channels, uint32_t seed, bool vary_alpha = false);
// Floats in [lo, hi] with the same structure, interleaved RGB(A).
std::vector<float> pattern_f32(uint32_t width, uint32_t height, int channels, uint32_t seed, float lo, float hi);

// The device-side RGBA floats of a host image (through the library's pack_rgba, which
// host_image_test checks on its own).
StoredImage stored(const HostImage& image);

// The expected RGBA8 target (alpha 255) for `look` (use make_preview_params' flags).
std::vector<uint8_t> reference_render(const StoredImage& source, const FrameLook& look, uint32_t target_width,
                                      uint32_t target_height);

struct Difference {
  int max = 0;          // largest per-channel difference
  size_t differing = 0;  // channels that differ at all
  std::string first;    // where the largest one is, for messages
};
Difference compare_rgba8(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want, uint32_t width);

// Renders `presenter` into a fresh target of this size and returns the pixels (fails the test on errors).
std::vector<uint8_t> render(Presenter& presenter, uint32_t width, uint32_t height);

// The look the presenter will use for a target of this size (its view/tone/filter).
FrameLook look_of(const Presenter& presenter, const StoredImage& source, uint32_t target_width,
                  uint32_t target_height, const float background[3]);

}  // namespace dc::gpu::vulkan::test
