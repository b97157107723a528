// View math and the push-constant choices, without a device.
#include <gtest/gtest.h>

#include <cmath>

#include "gpu/vulkan/present/tone_map.h"
#include "gpu/vulkan/present/view_transform.h"

namespace dc::gpu::vulkan {
namespace {

TEST(ViewTransform, OneToOneCentresOnWholePixels) {
  const ViewMapping m = map_view({ViewMode::kOneToOne}, 37, 23, 64, 48);
  EXPECT_EQ(m.scale, 1.0f);
  EXPECT_EQ(m.inv_scale, 1.0f);
  EXPECT_EQ(m.offset_x, 13.0f);  // floor(27 / 2)
  EXPECT_EQ(m.offset_y, 12.0f);  // floor(25 / 2)
  // Larger than the target: negative offsets, still whole.
  const ViewMapping crop = map_view({ViewMode::kOneToOne}, 101, 50, 64, 48);
  EXPECT_EQ(crop.offset_x, -19.0f);  // floor(-37 / 2)
  EXPECT_EQ(crop.offset_y, -1.0f);
}

TEST(ViewTransform, FitKeepsAspectAndCentres) {
  const ViewMapping wide = map_view({ViewMode::kFit}, 200, 100, 100, 100);
  EXPECT_FLOAT_EQ(wide.scale, 0.5f);
  EXPECT_FLOAT_EQ(wide.inv_scale, 2.0f);
  EXPECT_FLOAT_EQ(wide.offset_x, 0.0f);
  EXPECT_FLOAT_EQ(wide.offset_y, 25.0f);
  const ViewMapping tall = map_view({ViewMode::kFit}, 10, 40, 300, 200);  // enlarges by 5
  EXPECT_FLOAT_EQ(tall.scale, 5.0f);
  EXPECT_FLOAT_EQ(tall.offset_x, 125.0f);
  EXPECT_FLOAT_EQ(tall.offset_y, 0.0f);
}

TEST(ViewTransform, ZoomAndPan) {
  const ViewMapping m = map_view({ViewMode::kZoom, 2.0f, 7.0f, -5.0f}, 37, 23, 64, 64);
  EXPECT_EQ(m.scale, 2.0f);
  EXPECT_EQ(m.inv_scale, 0.5f);
  EXPECT_EQ(m.offset_x, -5.0f + 7.0f);  // floor((64 - 74) / 2) + pan
  EXPECT_EQ(m.offset_y, 9.0f - 5.0f);   // floor((64 - 46) / 2) + pan
}

TEST(ViewTransform, Validation) {
  EXPECT_TRUE(validate(ViewTransform{ViewMode::kZoom, 0.25f}).ok());
  EXPECT_FALSE(validate(ViewTransform{ViewMode::kZoom, -1.0f}).ok());
  EXPECT_FALSE(validate(ViewTransform{ViewMode::kZoom, 1.0f, INFINITY, 0.0f}).ok());
  EXPECT_TRUE(validate(ViewTransform{ViewMode::kFit, 0.0f}).ok()) << "zoom is ignored outside kZoom";
}

TEST(ToneMapParams, DefaultLookIsAPlainCopy) {
  FrameLook look;
  look.has_source = true;
  const shader::PreviewParams p = make_preview_params(look);
  EXPECT_EQ(p.flags, DC_PREVIEW_HAS_SOURCE);  // no decode, encode, curve or filter
  EXPECT_EQ(p.black, 0.0f);
  EXPECT_EQ(p.inv_range, 1.0f);
  EXPECT_EQ(p.exposure_scale, 1.0f);
}

TEST(ToneMapParams, LinearInputEncodesAndExposureDecodes) {
  FrameLook look;
  look.tone.encoding = InputEncoding::kLinear;
  EXPECT_EQ(make_preview_params(look).flags & (DC_PREVIEW_DECODE_SRGB | DC_PREVIEW_ENCODE_SRGB),
            DC_PREVIEW_ENCODE_SRGB);
  look.tone.encoding = InputEncoding::kSrgb;
  look.tone.exposure = 1.0f;
  const shader::PreviewParams p = make_preview_params(look);
  EXPECT_EQ(p.flags & (DC_PREVIEW_DECODE_SRGB | DC_PREVIEW_ENCODE_SRGB), DC_PREVIEW_DECODE_SRGB | DC_PREVIEW_ENCODE_SRGB);
  EXPECT_FLOAT_EQ(p.exposure_scale, 2.0f);
  // An *_SRGB target encodes in hardware: decode only, background converted to linear.
  look.tone.exposure = 0.0f;
  look.target_is_srgb_format = true;
  look.background[0] = 0.5f;
  const shader::PreviewParams q = make_preview_params(look);
  EXPECT_EQ(q.flags & (DC_PREVIEW_DECODE_SRGB | DC_PREVIEW_ENCODE_SRGB), DC_PREVIEW_DECODE_SRGB);
  EXPECT_NEAR(q.background_r, 0.2140f, 1e-4f);
}

TEST(ToneMapParams, LevelsMapBlackAndWhite) {
  FrameLook look;
  look.tone.black = -1.0f;
  look.tone.white = 1.0f;
  const shader::PreviewParams p = make_preview_params(look);
  EXPECT_EQ(p.black, -1.0f);
  EXPECT_EQ(p.inv_range, 0.5f);
  ToneMap flat;
  flat.white = flat.black;
  EXPECT_FALSE(validate(flat).ok());
}

}  // namespace
}  // namespace dc::gpu::vulkan
