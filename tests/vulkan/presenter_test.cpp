// The presenter against the CPU reference of the preview shader (reference_support.cpp),
// on whatever Vulkan device exists (Mesa lavapipe in CI), with validation on.
//
// Tolerances:
//  - 0 for 8-bit sRGB images shown without exposure/curve, nearest sampling: the shader
//    passes k/255 through untouched and the UNORM write of k/255 rounds back to k exactly.
//  - 1 (of 255) wherever a float value is quantised at an arbitrary point (f32 input, levels,
//    bilinear weights, alpha) or pow() runs (sRGB decode/encode): the GPU's UNORM rounding of
//    exact .5 ties and pow()'s few-ulp error (SPIR-V allows 3 + 2|y| ulp) can move a value
//    across a rounding boundary, never further (float errors here are ~1e-6, a level is 4e-3).
// Nearest sampling picks the same texel as the reference because both compute the source
// coordinate with the same two correctly rounded float operations (`precise` in the shader).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/vulkan/presenter_fixture_support.h"

namespace dc::gpu::vulkan::test {
namespace {

class PresenterTest : public PresenterFixture {};

HostImage host_u8(const std::vector<uint8_t>& pixels, uint32_t w, uint32_t h, PixelFormat format) {
  HostImage img;
  img.data = pixels.data();
  img.width = w;
  img.height = h;
  img.format = format;
  return img;
}

TEST_F(PresenterTest, NoImageShowsTheBackground) {
  const std::vector<uint8_t> got = render(*presenter_, 16, 8);
  ASSERT_EQ(got.size(), 16u * 8 * 4);
  for (size_t i = 0; i < got.size(); i += 4) {
    EXPECT_EQ(got[i + 0], 51);   // 0.2 * 255
    EXPECT_EQ(got[i + 1], 102);  // 0.4 * 255
    EXPECT_EQ(got[i + 2], 153);  // 0.6 * 255
    EXPECT_EQ(got[i + 3], 255);
  }
}

TEST_F(PresenterTest, OneToOneRgbaU8IsExact) {
  const uint32_t w = 37, h = 23;
  const auto pixels = pattern_u8(w, h, 4, 1);
  const HostImage img = host_u8(pixels, w, h, PixelFormat::kRgba8);
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  const StoredImage source = stored(img);
  render_and_compare(source, 64, 48, 0);
  // The image sits centred on whole pixels: its first pixel lands at floor((64-37)/2), floor((48-23)/2).
  const std::vector<uint8_t> got = render(*presenter_, 64, 48);
  const size_t at = (static_cast<size_t>(12) * 64 + 13) * 4;
  EXPECT_EQ(got[at + 0], pixels[0]);
  EXPECT_EQ(got[at + 1], pixels[1]);
  EXPECT_EQ(got[at + 2], pixels[2]);
  EXPECT_EQ(got[at - 4 + 0], 51) << "left of the image is background";
}

TEST_F(PresenterTest, OneToOneRgbU8WithRowPaddingIsExact) {
  const uint32_t w = 29, h = 17;
  const size_t stride = w * 3 + 5;  // rows padded, as some decoders deliver them
  const auto tight = pattern_u8(w, h, 3, 2);
  std::vector<uint8_t> padded(stride * h, 0xEE);
  for (uint32_t y = 0; y < h; ++y) std::copy_n(&tight[y * w * 3], w * 3, &padded[y * stride]);
  HostImage img = host_u8(padded, w, h, PixelFormat::kRgb8);
  img.row_stride = stride;
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  render_and_compare(stored(img), 40, 30, 0);
}

TEST_F(PresenterTest, OneToOnePlanarF32WithLevels) {
  // The engine's frames: [3, H, W] f32 in [-1, 1], shown with black = -1, white = 1.
  const uint32_t w = 31, h = 19;
  const auto interleaved = pattern_f32(w, h, 3, 3, -1.0f, 1.0f);
  std::vector<float> planar(interleaved.size());
  for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i)
    for (int c = 0; c < 3; ++c) planar[c * w * h + i] = interleaved[i * 3 + c];
  HostImage img;
  img.data = planar.data();
  img.width = w;
  img.height = h;
  img.format = PixelFormat::kRgb32F;
  img.layout = PixelLayout::kPlanar;
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  ToneMap tone;
  tone.black = -1.0f;
  tone.white = 1.0f;
  ASSERT_TRUE(presenter_->set_tone_map(tone).ok());
  render_and_compare(stored(img), 48, 32, 1);
}

TEST_F(PresenterTest, FitNearestAndLinear) {
  const uint32_t w = 37, h = 23;
  const auto pixels = pattern_f32(w, h, 4, 4, 0.0f, 1.0f);
  HostImage img;
  img.data = pixels.data();
  img.width = w;
  img.height = h;
  img.format = PixelFormat::kRgba32F;
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kFit}).ok());
  const StoredImage source = stored(img);
  for (Filter filter : {Filter::kNearest, Filter::kLinear}) {
    SCOPED_TRACE(filter == Filter::kNearest ? "nearest" : "linear");
    presenter_->set_filter(filter);
    render_and_compare(source, 100, 100, 1);  // enlarged by 2.70, letterboxed top and bottom
    render_and_compare(source, 90, 20, 1);    // shrunk by 0.87, pillarboxed left and right
  }
}

TEST_F(PresenterTest, ZoomTwoWithPanIsExact) {
  const uint32_t w = 37, h = 23;
  const auto pixels = pattern_u8(w, h, 4, 5);
  const HostImage img = host_u8(pixels, w, h, PixelFormat::kRgba8);
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kZoom, 2.0f, 7.0f, -5.0f}).ok());
  const StoredImage source = stored(img);
  render_and_compare(source, 64, 64, 0);  // crops the image: wider than the target
  ASSERT_TRUE(presenter_->set_view({ViewMode::kZoom, 3.0f, -20.0f, 11.0f}).ok());
  render_and_compare(source, 64, 64, 0);
}

TEST_F(PresenterTest, ToneMapLinearExposureReinhard) {
  const uint32_t w = 33, h = 21;
  const auto pixels = pattern_f32(w, h, 4, 6, 0.0f, 4.0f);  // scene-linear, highlights above 1
  HostImage img;
  img.data = pixels.data();
  img.width = w;
  img.height = h;
  img.format = PixelFormat::kRgba32F;
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  ToneMap tone;
  tone.encoding = InputEncoding::kLinear;
  tone.exposure = -0.5f;
  tone.curve = ToneCurve::kReinhard;
  ASSERT_TRUE(presenter_->set_tone_map(tone).ok());
  const StoredImage source = stored(img);
  render_and_compare(source, w, h, 1);
  tone.curve = ToneCurve::kClip;
  tone.encoding = InputEncoding::kSrgb;  // decode, expose, encode again
  tone.exposure = 0.75f;
  ASSERT_TRUE(presenter_->set_tone_map(tone).ok());
  render_and_compare(source, w, h, 1);
}

TEST_F(PresenterTest, AlphaCompositesOverTheBackground) {
  const uint32_t w = 20, h = 12;
  const auto pixels = pattern_u8(w, h, 4, 7, /*vary_alpha=*/true);
  const HostImage img = host_u8(pixels, w, h, PixelFormat::kRgba8);
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  render_and_compare(stored(img), w, h, 1);
}

TEST_F(PresenterTest, ReuploadOfAnotherSizeAndFormat) {
  const auto first = pattern_u8(37, 23, 4, 8);
  const HostImage a = host_u8(first, 37, 23, PixelFormat::kRgba8);
  ASSERT_TRUE(presenter_->upload(a).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  render_and_compare(stored(a), 50, 40, 0);
  EXPECT_EQ(presenter_->image_width(), 37u);

  const auto second = pattern_f32(16, 64, 3, 9, 0.0f, 1.0f);
  HostImage b;
  b.data = second.data();
  b.width = 16;
  b.height = 64;
  b.format = PixelFormat::kRgb32F;
  ASSERT_TRUE(presenter_->upload(b).ok());
  render_and_compare(stored(b), 50, 40, 1);  // taller than the target: cropped
  EXPECT_EQ(presenter_->image_width(), 16u);
  EXPECT_EQ(presenter_->image_height(), 64u);
  // Same image, other target sizes (a window resize) and back to the first image's size.
  render_and_compare(stored(b), 17, 70, 1);
  ASSERT_TRUE(presenter_->upload(a).ok());
  render_and_compare(stored(a), 37, 23, 0);
  // Rendering again without a new upload shows the same frame.
  render_and_compare(stored(a), 37, 23, 0);
}

TEST_F(PresenterTest, BadInputIsAClearErrorAndKeepsTheShownImage) {
  const auto pixels = pattern_u8(8, 8, 4, 10);
  const HostImage good = host_u8(pixels, 8, 8, PixelFormat::kRgba8);
  ASSERT_TRUE(presenter_->upload(good).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());

  HostImage zero = good;
  zero.width = 0;
  Status s = presenter_->upload(zero);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(s.error().message.find("0x8"), std::string::npos) << s.error().message;

  HostImage null_data = good;
  null_data.data = nullptr;
  s = presenter_->upload(null_data);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("null"), std::string::npos) << s.error().message;

  HostImage short_stride = good;
  short_stride.row_stride = 8 * 4 - 1;
  s = presenter_->upload(short_stride);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);

  // One pixel wider than the device allows; no pixel memory is touched before the check.
  const uint32_t limit = presenter_->device_capabilities().max_image_dimension_2d;
  ASSERT_GT(limit, 0u);
  HostImage huge = good;
  huge.width = limit + 1;
  huge.height = 1;
  s = presenter_->upload(huge);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::kNotSupported);
  EXPECT_NE(s.error().message.find("maxImageDimension2D"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(std::to_string(limit + 1)), std::string::npos) << s.error().message;

  EXPECT_FALSE(presenter_->set_view({ViewMode::kZoom, 0.0f}).ok());
  EXPECT_FALSE(presenter_->set_view({ViewMode::kZoom, std::nanf("")}).ok());
  ToneMap flat;
  flat.black = flat.white = 0.5f;
  EXPECT_FALSE(presenter_->set_tone_map(flat).ok());

  auto no_area = presenter_->create_offscreen_target(0, 16);
  ASSERT_FALSE(no_area.ok());
  EXPECT_EQ(no_area.error().kind, ErrorKind::kInvalidArgument);
  auto too_big = presenter_->create_offscreen_target(limit + 1, 16);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().kind, ErrorKind::kNotSupported);

  // Nothing above changed what is shown.
  EXPECT_EQ(presenter_->view().mode, ViewMode::kOneToOne);
  render_and_compare(stored(good), 12, 12, 0);
}

TEST_F(PresenterTest, ReadBackBeforeRenderIsAnError) {
  auto target = presenter_->create_offscreen_target(4, 4);
  ASSERT_TRUE(target.ok());
  auto pixels = (*target)->read_back();
  EXPECT_FALSE(pixels.ok());
}

// The checks above can fail: validation errors are caught, and the test pattern makes a
// one-pixel sampling shift visible.
TEST_F(PresenterTest, ValidationErrorsAreCaught) {
  VkBufferCreateInfo bad{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  bad.size = 0;  // VUID-VkBufferCreateInfo-size-00912; the layer reports it and skips the call
  bad.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
  VkBuffer buffer = VK_NULL_HANDLE;
  vkCreateBuffer(presenter_->device().get(), &bad, nullptr, &buffer);
  if (buffer != VK_NULL_HANDLE) vkDestroyBuffer(presenter_->device().get(), buffer, nullptr);
  const auto errors = presenter_->validation_errors();
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("size"), std::string::npos) << errors[0];
  presenter_.reset();
  ASSERT_FALSE(log_->errors.empty());
  log_->errors.clear();  // the fixture would otherwise fail this test on the error it provoked
}

TEST_F(PresenterTest, ReferenceSeesAOnePixelShift) {
  const auto pixels = pattern_u8(37, 23, 4, 11);
  const HostImage img = host_u8(pixels, 37, 23, PixelFormat::kRgba8);
  ASSERT_TRUE(presenter_->upload(img).ok());
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne, 1.0f, 1.0f, 0.0f}).ok());
  const std::vector<uint8_t> got = render(*presenter_, 40, 30);
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());  // the reference without the pan
  const StoredImage source = stored(img);
  const auto want = reference_render(source, look_of(*presenter_, source, 40, 30, kBackground), 40, 30);
  const Difference d = compare_rgba8(got, want, 40);
  EXPECT_GT(d.max, 100);
  EXPECT_GT(d.differing, 37u * 23u);
}

}  // namespace
}  // namespace dc::gpu::vulkan::test
