// The swapchain path through a real X11 window (an xcb window on Xvfb in CI; ctest runs
// this suite under xvfb-run): attach a surface, present, read the window's pixels back
// from the X server and compare with the CPU reference; resize; detach. Qt's QWindow will
// hand the presenter the same kind of VkSurfaceKHR (ui/viewport, later).
#include <gtest/gtest.h>

#ifdef DC_TEST_HAVE_XCB
#define VK_USE_PLATFORM_XCB_KHR
#include <xcb/xcb.h>
#include <vulkan/vulkan.h>
#endif

#include <chrono>
#include <cstdlib>
#include <thread>

#include "tests/vulkan/presenter_fixture_support.h"

namespace dc::gpu::vulkan::test {
namespace {

#ifdef DC_TEST_HAVE_XCB

class XcbWindow {
 public:
  ~XcbWindow() {
    if (connection_) {
      if (window_) xcb_destroy_window(connection_, window_);
      xcb_disconnect(connection_);
    }
  }
  bool open(uint16_t width, uint16_t height) {
    connection_ = xcb_connect(nullptr, nullptr);
    if (xcb_connection_has_error(connection_)) return false;
    xcb_screen_t* screen = xcb_setup_roots_iterator(xcb_get_setup(connection_)).data;
    window_ = xcb_generate_id(connection_);
    const uint32_t values[] = {screen->black_pixel};
    xcb_create_window(connection_, XCB_COPY_FROM_PARENT, window_, screen->root, 0, 0, width, height, 0,
                      XCB_WINDOW_CLASS_INPUT_OUTPUT, screen->root_visual, XCB_CW_BACK_PIXEL, values);
    xcb_map_window(connection_, window_);
    sync();
    return true;
  }
  void resize(uint16_t width, uint16_t height) {
    const uint32_t size[] = {width, height};
    xcb_configure_window(connection_, window_, XCB_CONFIG_WINDOW_WIDTH | XCB_CONFIG_WINDOW_HEIGHT, size);
    sync();
  }
  // The window's pixels as RGBA8 (alpha 255), from a 24/32-bit TrueColor BGRX ZPixmap.
  std::vector<uint8_t> pixels(uint16_t width, uint16_t height) {
    xcb_get_image_cookie_t cookie =
        xcb_get_image(connection_, XCB_IMAGE_FORMAT_Z_PIXMAP, window_, 0, 0, width, height, ~0u);
    xcb_get_image_reply_t* reply = xcb_get_image_reply(connection_, cookie, nullptr);
    std::vector<uint8_t> rgba;
    if (!reply) return rgba;
    const uint8_t* data = xcb_get_image_data(reply);
    const int length = xcb_get_image_data_length(reply);
    if (length == width * height * 4) {
      rgba.resize(length);
      for (int i = 0; i < length; i += 4) {
        rgba[i + 0] = data[i + 2];
        rgba[i + 1] = data[i + 1];
        rgba[i + 2] = data[i + 0];
        rgba[i + 3] = 255;
      }
    }
    free(reply);
    return rgba;
  }
  void sync() { free(xcb_get_input_focus_reply(connection_, xcb_get_input_focus(connection_), nullptr)); }
  xcb_connection_t* connection() const { return connection_; }
  xcb_window_t window() const { return window_; }

 private:
  xcb_connection_t* connection_ = nullptr;
  xcb_window_t window_ = 0;
};

class SwapchainTest : public PresenterFixture {
 protected:
  void SetUp() override {
    if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no X display (ctest runs this suite under xvfb-run)";
    if (!window_.open(kWidth, kHeight)) GTEST_SKIP() << "cannot connect to the X display " << std::getenv("DISPLAY");
    PresenterOptions options;
    options.instance.extensions = {VK_KHR_SURFACE_EXTENSION_NAME, VK_KHR_XCB_SURFACE_EXTENSION_NAME};
    options.device.swapchain = true;
    options.hud = true;
    create(options);
    VkXcbSurfaceCreateInfoKHR info{VK_STRUCTURE_TYPE_XCB_SURFACE_CREATE_INFO_KHR};
    info.connection = window_.connection();
    info.window = window_.window();
    ASSERT_EQ(vkCreateXcbSurfaceKHR(presenter_->vk_instance(), &info, nullptr, &surface_), VK_SUCCESS);
  }
  void TearDown() override {
    if (presenter_) presenter_->detach_surface();
    if (surface_) vkDestroySurfaceKHR(presenter_->vk_instance(), surface_, nullptr);
    PresenterFixture::TearDown();
  }

  // Presentation is asynchronous: poll the window until it shows `want` (or 5 s pass).
  Difference wait_for_window(const std::vector<uint8_t>& want, uint16_t width, uint16_t height) {
    Difference d;
    for (int attempt = 0; attempt < 100; ++attempt) {
      d = compare_rgba8(window_.pixels(width, height), want, width);
      if (d.max == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return d;
  }

  static constexpr uint16_t kWidth = 96, kHeight = 64;
  XcbWindow window_;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;
};

TEST_F(SwapchainTest, PresentsResizesAndDetaches) {
  ASSERT_TRUE(presenter_->attach_surface(surface_, kWidth, kHeight).ok());
  const auto pixels = pattern_u8(50, 30, 4, 31);
  const HostImage img{pixels.data(), 50, 30, PixelFormat::kRgba8};
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  for (int frame = 0; frame < 3; ++frame) ASSERT_TRUE(presenter_->present().ok());
  const StoredImage source = stored(img);
  // Exact: an 8-bit image at 1:1 through a UNORM swapchain (the presenter prefers one).
  Difference d = wait_for_window(
      reference_render(source, look_of(*presenter_, source, kWidth, kHeight, kBackground), kWidth, kHeight), kWidth,
      kHeight);
  EXPECT_EQ(d.max, 0) << d.differing << " channels differ; worst at " << d.first;

  // The window grows: the swapchain is rebuilt at the next present.
  const uint16_t w2 = 120, h2 = 90;
  window_.resize(w2, h2);
  ASSERT_TRUE(presenter_->resize(w2, h2).ok());
  presenter_->set_hud_visible(true);  // the HUD re-initialises for the swapchain's format
  ASSERT_TRUE(presenter_->present().ok());
  presenter_->set_hud_visible(false);
  ASSERT_TRUE(presenter_->present().ok());
  d = wait_for_window(reference_render(source, look_of(*presenter_, source, w2, h2, kBackground), w2, h2), w2, h2);
  EXPECT_EQ(d.max, 0) << d.differing << " channels differ; worst at " << d.first;

  presenter_->detach_surface();
  EXPECT_FALSE(presenter_->present().ok()) << "no surface attached";
}

TEST_F(SwapchainTest, WithoutSwapchainSupportAttachIsAnError) {
  PresenterOptions plain;
  plain.instance.extensions = {VK_KHR_SURFACE_EXTENSION_NAME, VK_KHR_XCB_SURFACE_EXTENSION_NAME};
  auto other = make_presenter(plain);
  ASSERT_TRUE(other);
  // Refused before the surface (made on the other presenter's instance) is ever used.
  const Status s = other->attach_surface(surface_, kWidth, kHeight);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("swapchain"), std::string::npos) << s.error().message;
  EXPECT_FALSE(presenter_->attach_surface(VK_NULL_HANDLE, kWidth, kHeight).ok());
}

#else

TEST(SwapchainTest, NeedsXcb) { GTEST_SKIP() << "built without libxcb headers: the swapchain test is not compiled"; }

#endif

}  // namespace
}  // namespace dc::gpu::vulkan::test
