#include "core/io/image/image_file.h"

#include <OpenImageIO/imageio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/ops/copy.h"

namespace dc {
namespace {

std::string lower_extension(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace

Result<Tensor> read_image(const std::filesystem::path& path) {
  auto in = OIIO::ImageInput::open(path.string());
  if (!in) return Error::io(path.string() + ": cannot open image (" + OIIO::geterror() + ")");
  const OIIO::ImageSpec& spec = in->spec();
  const int w = spec.width, h = spec.height, c = spec.nchannels;
  if (w <= 0 || h <= 0 || c <= 0 || static_cast<int64_t>(w) * h > (int64_t{1} << 28)) {
    return Error::format(path.string() + ": unsupported image size " + std::to_string(w) + "x" + std::to_string(h));
  }
  std::vector<float> pixels(static_cast<size_t>(w) * h * c);
  if (!in->read_image(0, 0, 0, c, OIIO::TypeDesc::FLOAT, pixels.data())) {
    return Error::format(path.string() + ": cannot read pixels (" + in->geterror() + ")");
  }
  in->close();
  Tensor out = Tensor::empty({1, 3, h, w}, DType::kF32);
  float* o = out.data<float>();
  const int64_t plane = static_cast<int64_t>(w) * h;
  for (int64_t i = 0; i < plane; ++i) {
    for (int ch = 0; ch < 3; ++ch) {
      const float v = pixels[i * c + std::min(ch, c < 3 ? 0 : ch)];  // grey → RGB
      o[ch * plane + i] = v * 2.0f - 1.0f;
    }
  }
  return out;
}

Result<ImageMetadata> read_image_metadata(const std::filesystem::path& path) {
  auto in = OIIO::ImageInput::open(path.string());
  if (!in) return Error::io(path.string() + ": cannot open image (" + OIIO::geterror() + ")");
  ImageMetadata meta;
  for (const OIIO::ParamValue& p : in->spec().extra_attribs) {
    if (p.type() == OIIO::TypeDesc::STRING) meta[p.name().string()] = p.get_string();
  }
  in->close();
  return meta;
}

Status write_image(const std::filesystem::path& path, const Tensor& sample, const ImageMetadata& metadata) {
  if (sample.dim() != 4 || sample.size(0) != 1 || sample.size(1) != 3) {
    return Error::invalid_argument("write_image: expected [1, 3, H, W], got " + sample.describe());
  }
  const std::string ext = lower_extension(path);
  OIIO::TypeDesc format = OIIO::TypeDesc::UINT8;
  if (ext == ".exr") {
    format = OIIO::TypeDesc::HALF;
  } else if (ext == ".tif" || ext == ".tiff") {
    format = OIIO::TypeDesc::UINT16;
  } else if (ext != ".png" && ext != ".jpg" && ext != ".jpeg") {
    return Error::invalid_argument(path.string() + ": unsupported image extension (use .png, .exr, .tif or .jpg)");
  }
  DC_TRY(std::vector<float> planar, catch_errors([&] { return ops::to_f32_vector(sample); }));
  const int h = static_cast<int>(sample.size(2)), w = static_cast<int>(sample.size(3));
  const int64_t plane = static_cast<int64_t>(w) * h;
  std::vector<float> interleaved(static_cast<size_t>(plane) * 3);
  for (int64_t i = 0; i < plane; ++i)
    for (int ch = 0; ch < 3; ++ch)
      interleaved[i * 3 + ch] = std::clamp((planar[ch * plane + i] + 1.0f) * 0.5f, 0.0f, 1.0f);

  // Write beside the target, then rename: a failed or interrupted write leaves no partial file.
  const std::filesystem::path tmp =
      path.parent_path() / (path.stem().string() + ".partial-" + std::to_string(::getpid()) + path.extension().string());
  auto out = OIIO::ImageOutput::create(tmp.string());
  if (!out) return Error::not_supported(path.string() + ": no image writer for this format (" + OIIO::geterror() + ")");
  OIIO::ImageSpec spec(w, h, 3, format);
  for (const auto& [key, value] : metadata) spec.attribute(key, value);
  if (!out->open(tmp.string(), spec) || !out->write_image(OIIO::TypeDesc::FLOAT, interleaved.data()) || !out->close()) {
    const std::string why = out->geterror();
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return Error::io(path.string() + ": cannot write image (" + why + ")");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Error::io(path.string() + ": cannot move the written image into place (" + ec.message() + ")");
  }
  return {};
}

}  // namespace dc
