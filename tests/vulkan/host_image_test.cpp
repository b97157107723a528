// Packing host frames into the device's RGBA layout, and input validation.
#include <gtest/gtest.h>

#include <vector>

#include "gpu/vulkan/present/host_image.h"

namespace dc::gpu::vulkan {
namespace {

TEST(HostImage, PacksInterleavedRgbWithOpaqueAlpha) {
  const std::vector<uint8_t> rgb = {1, 2, 3, 4, 5, 6, 0, 0,  // row 0 + 2 padding bytes
                                    7, 8, 9, 10, 11, 12, 0, 0};
  HostImage img{rgb.data(), 2, 2, PixelFormat::kRgb8, PixelLayout::kInterleaved, 8, 0};
  ASSERT_TRUE(validate(img).ok());
  std::vector<uint8_t> out(2 * 2 * 4);
  pack_rgba(img, out.data());
  EXPECT_EQ(out, (std::vector<uint8_t>{1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255}));
}

TEST(HostImage, PacksPlanarFloats) {
  // [3, 1, 2]: R plane, G plane, B plane.
  const std::vector<float> chw = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
  HostImage img{chw.data(), 2, 1, PixelFormat::kRgb32F, PixelLayout::kPlanar, 0, 0};
  ASSERT_TRUE(validate(img).ok());
  std::vector<float> out(2 * 4);
  pack_rgba(img, out.data());
  EXPECT_EQ(out, (std::vector<float>{0.1f, 0.3f, 0.5f, 1.0f, 0.2f, 0.4f, 0.6f, 1.0f}));
}

TEST(HostImage, PacksRgbaUnchanged) {
  const std::vector<float> rgba = {0.5f, -1.0f, 2.0f, 0.25f};
  HostImage img{rgba.data(), 1, 1, PixelFormat::kRgba32F};
  std::vector<float> out(4);
  pack_rgba(img, out.data());
  EXPECT_EQ(out, rgba);
  EXPECT_EQ(device_format(PixelFormat::kRgb32F), VK_FORMAT_R32G32B32A32_SFLOAT);
  EXPECT_EQ(device_format(PixelFormat::kRgb8), VK_FORMAT_R8G8B8A8_UNORM);
}

TEST(HostImage, RejectsMalformedInput) {
  const std::vector<float> data(64, 0.0f);
  HostImage ok{data.data(), 4, 4, PixelFormat::kRgba32F};
  EXPECT_TRUE(validate(ok).ok());
  HostImage zero = ok;
  zero.height = 0;
  EXPECT_EQ(validate(zero).error().kind, ErrorKind::kInvalidArgument);
  HostImage null_data = ok;
  null_data.data = nullptr;
  EXPECT_FALSE(validate(null_data).ok());
  HostImage narrow = ok;
  narrow.row_stride = 4 * 16 - 16;
  EXPECT_NE(validate(narrow).error().message.find("row stride"), std::string::npos);
  HostImage odd = ok;
  odd.row_stride = 4 * 16 + 2;  // not a whole float
  EXPECT_FALSE(validate(odd).ok());
  HostImage planar_short{data.data(), 4, 4, PixelFormat::kRgb32F, PixelLayout::kPlanar, 0, 4 * 4 * 4 - 4};
  EXPECT_NE(validate(planar_short).error().message.find("plane stride"), std::string::npos);
}

}  // namespace
}  // namespace dc::gpu::vulkan
