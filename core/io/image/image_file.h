// Image files through OpenImageIO (PNG, EXR, TIFF, JPEG...), as the tensors
// diffusion models use: [1, 3, H, W] f32 with pixel values mapped to [-1, 1].
//
//   DC_TRY(Tensor x, read_image("in.png"));          // 8-bit 0..255 -> [-1, 1]
//   DC_TRY_STATUS(write_image("out.exr", y, meta));   // atomic: temp + rename
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc {

// Text attributes stored with the image (PNG tEXt chunks, EXR/TIFF attributes).
using ImageMetadata = std::map<std::string, std::string>;

// RGB (alpha dropped, grey expanded), integer formats normalized by their range,
// float formats taken as [0, 1] display values; then v·2 − 1.
Result<Tensor> read_image(const std::filesystem::path& path);

// The text attributes stored with an image (PNG tEXt/iTXt chunks, EXR/TIFF string attributes).
Result<ImageMetadata> read_image_metadata(const std::filesystem::path& path);

// sample: [1, 3, H, W] (any float dtype/device) in [-1, 1]; clamped to [0, 1].
// PNG → 8-bit, TIFF → 16-bit, EXR → half float; chosen by extension.
Status write_image(const std::filesystem::path& path, const Tensor& sample, const ImageMetadata& metadata = {});

}  // namespace dc
