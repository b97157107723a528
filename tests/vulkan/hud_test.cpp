// The ImGui HUD drawn in the preview pass: visible only when toggled on, confined to its
// corner, redrawn with new stats, clean under validation.
#include <gtest/gtest.h>

#include "tests/vulkan/presenter_fixture_support.h"

namespace dc::gpu::vulkan::test {
namespace {

class HudTest : public PresenterFixture {
 protected:
  void SetUp() override {
    PresenterOptions options;
    options.hud = true;
    create(options);
  }
};

// Bounding box of pixels that differ between two RGBA8 frames; empty (x0 > x1) when none do.
struct Box {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
};
Box differing_box(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, int width) {
  Box box;
  for (size_t i = 0; i < a.size(); i += 4) {
    if (a[i] == b[i] && a[i + 1] == b[i + 1] && a[i + 2] == b[i + 2]) continue;
    const int x = static_cast<int>(i / 4) % width, y = static_cast<int>(i / 4) / width;
    box.x0 = std::min(box.x0, x);
    box.y0 = std::min(box.y0, y);
    box.x1 = std::max(box.x1, x);
    box.y1 = std::max(box.y1, y);
  }
  return box;
}

TEST(HudText, ListsWhatIsKnown) {
  HudStats s;
  EXPECT_EQ(hud_text(s), "");
  s.status = "denoising";
  s.step = 3;
  s.total_steps = 30;
  s.iterations_per_second = 1.5;
  s.image_width = 1024;
  s.image_height = 768;
  s.vram_used_bytes = 3ull << 30;
  s.vram_total_bytes = 80ull << 30;
  EXPECT_EQ(hud_text(s), "denoising\nstep 3/30  1.50 it/s\n1024 x 768\nVRAM 3.0 / 80.0 GiB");
}

TEST_F(HudTest, ShownOnlyWhenToggledAndOnlyInItsCorner) {
  const uint32_t w = 40, h = 30;
  const auto pixels = pattern_u8(w, h, 4, 21);
  const HostImage img{pixels.data(), w, h, PixelFormat::kRgba8};
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kFit}).ok());
  HudStats stats;
  stats.step = 3;
  stats.total_steps = 30;
  stats.iterations_per_second = 1.5;
  presenter_->set_hud_stats(stats);

  const uint32_t tw = 400, th = 240;
  EXPECT_FALSE(presenter_->hud_visible());
  const std::vector<uint8_t> plain = render(*presenter_, tw, th);
  presenter_->toggle_hud();
  ASSERT_TRUE(presenter_->hud_visible());
  const std::vector<uint8_t> with_hud = render(*presenter_, tw, th);
  const Box box = differing_box(plain, with_hud, tw);
  ASSERT_LE(box.x0, box.x1) << "the HUD drew nothing";
  EXPECT_LE(box.x0, 12);  // at the top-left corner (8 px margin)...
  EXPECT_LE(box.y0, 12);
  EXPECT_LT(box.x1, static_cast<int>(tw) / 2);  // ...and small: two short lines of text
  EXPECT_LT(box.y1, static_cast<int>(th) / 2);
  // Outside its box the frame is the plain preview, which matches the reference.
  const StoredImage source = stored(img);
  const auto want = reference_render(source, look_of(*presenter_, source, tw, th, kBackground), tw, th);
  for (uint32_t y = 0; y < th; ++y)
    for (uint32_t x = 0; x < tw; ++x) {
      if (static_cast<int>(x) <= box.x1 && static_cast<int>(y) <= box.y1) continue;
      const size_t i = (static_cast<size_t>(y) * tw + x) * 4;
      ASSERT_EQ(with_hud[i], want[i]) << "at " << x << ", " << y;
    }

  // New stats redraw the text; hiding the HUD restores the plain frame.
  stats.step = 17;
  stats.vram_used_bytes = 5ull << 30;
  stats.vram_total_bytes = 80ull << 30;
  presenter_->set_hud_stats(stats);
  const std::vector<uint8_t> later = render(*presenter_, tw, th);
  const Box changed = differing_box(with_hud, later, tw);
  EXPECT_LE(changed.x0, changed.x1) << "new stats changed nothing";
  EXPECT_GT(changed.y1, box.y1) << "the VRAM line adds a row below the others";
  presenter_->toggle_hud();
  EXPECT_EQ(render(*presenter_, tw, th), plain);
}

TEST_F(HudTest, WithoutTheOptionTogglingDrawsNothing) {
  create({});  // no HUD
  presenter_->set_hud_visible(true);
  const std::vector<uint8_t> got = render(*presenter_, 64, 32);
  ASSERT_EQ(got.size(), 64u * 32 * 4);
  for (size_t i = 0; i < got.size(); i += 4) ASSERT_EQ(got[i], 51) << "background only";
}

}  // namespace
}  // namespace dc::gpu::vulkan::test
