// Normalizations. Statistics are computed in f32 whatever the input dtype.
#pragma once

#include "core/ops/elementwise.h"
#include "core/tensor/tensor.h"

namespace dc::ops {

// Over the last dim: x / sqrt(mean(x²) + eps) * weight (+ bias). weight/bias [C] optional.
Tensor rms_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps);
// Same normalization over the channel dim of [N, C, ...] x (diffusers' movedim(1,-1)
// pattern), with an optional fused epilogue in the same pass over the data:
//   y = act(x / sqrt(mean_c(x²) + eps) * weight + bias) + residual
// (the norm + residual ending DC-AE's blocks, the norm + activation before its
// conv_out). The output has x's layout (contiguous or channels-last); residual,
// x-shaped and optional, may have any layout.
Tensor rms_norm_channels(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps,
                         const Tensor& residual = {}, Activation act = Activation::kIdentity);
// Over the last dim: (x - mean) / sqrt(var + eps) * weight + bias (weight/bias optional).
Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps);
// torch.nn.GroupNorm over [N, C, ...]: the C channels form `groups` consecutive
// groups, each (sample, group) is normalized over its C/groups · spatial
// elements (biased variance, f32 statistics), then y = x̂ · weight[c] + bias[c]
// (weight/bias [C] optional). Composed of layer_norm over [N·groups, C/groups·S]
// rows and channel_affine, so no backend needs a kernel of its own; the output is
// contiguous. C must be a multiple of groups.
Tensor group_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, int64_t groups, float eps);
// Inference BatchNorm2d on NCHW: (x - running_mean) / sqrt(running_var + eps) * weight + bias.
Tensor batch_norm_inference(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                            const Tensor& weight, const Tensor& bias, float eps);

}  // namespace dc::ops

namespace dc::ops {
// y = x * scale[c] + shift[c] (+ residual) over the channel dim of [N, C, ...] x;
// scale/shift f32 [C] on x's device (a folded inference BatchNorm). The output
// has x's layout (contiguous or channels-last); residual may have any layout.
Tensor channel_affine(const Tensor& x, const Tensor& scale, const Tensor& shift, const Tensor& residual = {});

// Folds inference BatchNorm statistics into channel_affine's f32 CPU scale/shift
// (computed in f64): scale = w / sqrt(var + eps), shift = b - mean * scale.
struct FoldedBatchNorm {
  Tensor scale, shift;
};
FoldedBatchNorm fold_batch_norm(const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                                const Tensor& bias, float eps);
}  // namespace dc::ops
