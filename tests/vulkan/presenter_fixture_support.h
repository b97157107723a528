// A GoogleTest fixture owning a validated presenter: skips when no Vulkan device exists,
// and fails any test after which the validation layer reported an error.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/vulkan/reference_support.h"

namespace dc::gpu::vulkan::test {

inline constexpr float kBackground[3] = {0.2f, 0.4f, 0.6f};

class PresenterFixture : public ::testing::Test {
 protected:
  void SetUp() override { create({}); }
  void TearDown() override { destroy_and_check(); }

  // (Re)creates the presenter with these options (background and validation are set here).
  void create(PresenterOptions options) {
    destroy_and_check();
    if (!any_vulkan_device()) GTEST_SKIP() << "no Vulkan device (install mesa-vulkan-drivers for lavapipe)";
    for (int c = 0; c < 3; ++c) options.background[c] = kBackground[c];
    log_ = std::make_shared<ValidationLog>();
    presenter_ = make_presenter(options, log_);
    ASSERT_TRUE(presenter_) << "presenter creation failed";
  }

  // Destroys the presenter (so errors at teardown are reported too) and expects none at all.
  void destroy_and_check() {
    presenter_.reset();
    if (!log_) return;
    std::string all;
    for (const std::string& e : log_->errors) all += "\n  " + e;
    EXPECT_TRUE(all.empty()) << "Vulkan validation errors:" << all;
    log_.reset();
  }

  // Renders the presenter's current state and compares with the CPU reference; returns the
  // largest per-channel difference.
  int render_and_compare(const StoredImage& source, uint32_t width, uint32_t height, int tolerance) {
    const std::vector<uint8_t> got = render(*presenter_, width, height);
    const std::vector<uint8_t> want =
        reference_render(source, look_of(*presenter_, source, width, height, kBackground), width, height);
    const Difference d = compare_rgba8(got, want, width);
    EXPECT_LE(d.max, tolerance) << d.differing << " channels differ; worst at " << d.first;
    return d.max;
  }

  std::shared_ptr<ValidationLog> log_;
  std::unique_ptr<Presenter> presenter_;
};

}  // namespace dc::gpu::vulkan::test
