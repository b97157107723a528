#include "ui/bridge/tensor_image.h"

#include <algorithm>
#include <cmath>

#include "core/ops/copy.h"

namespace dc::ui {

QList<QImage> images_from_tensor(const Tensor& images) {
  QList<QImage> out;
  if (!images.defined() || images.dim() != 4 || images.size(1) != 3 || images.is_cuda()) return out;
  const Tensor t = ops::contiguous(images.dtype() == DType::kF32 ? images : ops::cast(images, DType::kF32));
  const int64_t batch = t.size(0), height = t.size(2), width = t.size(3);
  const float* data = t.data<float>();
  const int64_t plane = height * width;
  for (int64_t b = 0; b < batch; ++b) {
    QImage image(static_cast<int>(width), static_cast<int>(height), QImage::Format_RGB888);
    const float* base = data + b * 3 * plane;
    for (int64_t y = 0; y < height; ++y) {
      uchar* row = image.scanLine(static_cast<int>(y));
      for (int64_t x = 0; x < width; ++x) {
        for (int c = 0; c < 3; ++c) {
          float v = base[c * plane + y * width + x];
          v = v >= -1.0f ? std::min(v, 1.0f) : -1.0f;  // NaN -> -1 as well
          row[x * 3 + c] = static_cast<uchar>(std::lround((v + 1.0f) * 0.5f * 255.0f));
        }
      }
    }
    out.push_back(std::move(image));
  }
  return out;
}

}  // namespace dc::ui
