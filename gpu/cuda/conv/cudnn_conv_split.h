// Private to gpu/cuda/conv: how one conv2d becomes cuDNN calls that each stay under
// cuDNN's tensor limit (2^31 - 1 elements, counted with the batch stride).
//
// Images that fit run in batches. An NHWC image that does not is cut into k equal
// row folds, convolved as a batch with the conv's own padding: right everywhere but
// in the few output rows beside each cut, whose receptive field crosses it and which
// the fold saw as zero padding. Those rows ("seams") are then recomputed by one call
// per cut on the real input rows around it, with no vertical padding.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpu/cuda/conv/cudnn_conv.h"

namespace dc::gpu::cudnn {

constexpr int64_t kMaxTensorElements = 2147483647;  // cuDNN's limit per tensor descriptor

// The limit split_conv applies: kMaxTensorElements unless a test lowered it.
int64_t max_tensor_elements();

// One cuDNN call on sub-views of the problem; c_in, w, c_out, ow, pad_w stay the problem's.
struct ConvCall {
  int64_t n = 0;   // images (or folds) in the call
  int64_t h = 0;   // their input rows
  int64_t oh = 0;  // their output rows
  int pad_h = 0;
  int64_t x_offset = 0, y_offset = 0;              // elements into x and into y/residual
  int64_t x_batch_stride = 0, y_batch_stride = 0;  // elements between the call's images
};

struct ConvSplit {
  std::vector<ConvCall> main;   // every output row (seam rows wrong when folded)
  std::vector<ConvCall> seams;  // after `main`: the rows beside each fold cut
};

// "" and the split, or why the problem cannot be split (then cuDNN is not used).
std::string split_conv(const CudnnConv2dParams& p, ConvSplit* out);

}  // namespace dc::gpu::cudnn
