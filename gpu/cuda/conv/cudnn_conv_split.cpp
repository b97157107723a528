// Splitting a conv2d into cuDNN-sized calls (see cudnn_conv_split.h). Plain C++: built
// with or without cuDNN, so the arithmetic is testable anywhere.
#include "gpu/cuda/conv/cudnn_conv_split.h"

#include <algorithm>
#include <atomic>

namespace dc::gpu {
namespace {

std::atomic<int64_t> g_max_elements{cudnn::kMaxTensorElements};

}  // namespace

void cudnn_conv2d_set_max_elements_for_testing(int64_t elements) {
  g_max_elements = elements > 0 ? elements : cudnn::kMaxTensorElements;
}

namespace cudnn {

int64_t max_tensor_elements() { return g_max_elements.load(); }

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

// Output rows of a fold (of `fold_h` input rows, padded by p) that read past its end
// (bottom) or before its start (top): these are wrong unless the fold edge is the image's.
struct SeamRows {
  int64_t top = 0, bottom = 0;
};

SeamRows seam_rows(const CudnnConv2dParams& p, int64_t fold_h, int64_t fold_oh) {
  SeamRows r;
  r.top = p.padding > 0 ? ceil_div(p.padding, p.stride) : 0;
  const int64_t first_bad = ceil_div(fold_h + p.padding - p.kh + 1, p.stride);
  r.bottom = std::max<int64_t>(0, fold_oh - first_bad);
  return r;
}

// The smallest fold count k that makes every fold conv exact away from the cuts and
// small enough for cuDNN; 0 when none up to 64 does.
int64_t fold_count(const CudnnConv2dParams& p, int64_t limit) {
  for (int64_t k = 2; k <= 64; ++k) {
    if (p.h % k != 0 || p.oh % k != 0) continue;
    const int64_t fh = p.h / k, foh = p.oh / k;
    if (fh != p.stride * foh) continue;                                      // fold cuts align in and out
    if ((fh + 2 * p.padding - p.kh) / p.stride + 1 != foh) continue;         // the fold's own output size
    if (fh * p.w * p.c_in > limit || foh * p.ow * p.c_out > limit) continue;
    const SeamRows s = seam_rows(p, fh, foh);
    if (s.top + s.bottom > foh) continue;                                   // seams must not overlap
    if ((foh - s.bottom) * p.stride - p.padding < 0) continue;               // seam input inside the image
    return k;
  }
  return 0;
}

}  // namespace

std::string split_conv(const CudnnConv2dParams& p, ConvSplit* out) {
  *out = {};
  const int64_t limit = max_tensor_elements();
  const int64_t x_image = p.c_in * p.h * p.w, y_image = p.c_out * p.oh * p.ow;
  if (x_image <= limit && y_image <= limit) {
    const int64_t per_call = std::max<int64_t>(1, limit / std::max(x_image, y_image));
    for (int64_t b = 0; b < p.n; b += per_call) {
      ConvCall c;
      c.n = std::min(per_call, p.n - b);
      c.h = p.h, c.oh = p.oh, c.pad_h = p.padding;
      c.x_offset = b * x_image, c.y_offset = b * y_image;
      c.x_batch_stride = x_image, c.y_batch_stride = y_image;
      out->main.push_back(c);
    }
    return {};
  }
  if (p.layout != ConvLayout::kNHWC)
    return "an NCHW image of more than 2^31 elements (cuDNN's limit; only NHWC images are split)";
  const int64_t k = fold_count(p, limit);
  if (k == 0) return "no row split of this image fits cuDNN's 2^31-element limit";
  const int64_t fh = p.h / k, foh = p.oh / k;
  const int64_t x_fold = fh * p.w * p.c_in, y_fold = foh * p.ow * p.c_out;
  const int64_t folds = p.n * k;
  const int64_t per_call = std::max<int64_t>(1, limit / std::max(x_fold, y_fold));
  for (int64_t f = 0; f < folds; f += per_call) {
    ConvCall c;
    c.n = std::min(per_call, folds - f);
    c.h = fh, c.oh = foh, c.pad_h = p.padding;
    c.x_offset = f * x_fold, c.y_offset = f * y_fold;
    c.x_batch_stride = x_fold, c.y_batch_stride = y_fold;
    out->main.push_back(c);
  }
  const SeamRows s = seam_rows(p, fh, foh);
  const int64_t rows = s.top + s.bottom;
  if (rows == 0) return {};
  const int64_t in_rows = (rows - 1) * p.stride + p.kh;
  for (int64_t i = 0; i < p.n; ++i) {
    for (int64_t j = 1; j < k; ++j) {
      const int64_t o0 = j * foh - s.bottom;         // first output row to recompute
      const int64_t i0 = o0 * p.stride - p.padding;  // its first input row
      if (i0 < 0 || i0 + in_rows > p.h) return "fold seam reaches outside the image";
      ConvCall c;
      c.n = 1, c.h = in_rows, c.oh = rows, c.pad_h = 0;
      c.x_offset = (i * p.h + i0) * p.w * p.c_in;
      c.y_offset = (i * p.oh + o0) * p.ow * p.c_out;
      c.x_batch_stride = in_rows * p.w * p.c_in, c.y_batch_stride = rows * p.ow * p.c_out;
      out->seams.push_back(c);
    }
  }
  return {};
}

}  // namespace cudnn
}  // namespace dc::gpu
