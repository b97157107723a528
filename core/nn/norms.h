// Normalization layers with diffusers' parameter names.
#pragma once

#include <memory>
#include <string>

#include "core/nn/module.h"
#include "core/ops/elementwise.h"

namespace dc::nn {

// diffusers RMSNorm: "weight" [C] when elementwise_affine, "bias" [C] when bias.
class RMSNorm : public Module {
 public:
  RMSNorm(Module* parent, std::string name, int64_t channels, float eps, bool affine, bool bias);
  Tensor forward(const Tensor& x) const;  // normalizes the last dim
  // Normalizes dim 1 of [N, C, H, W] (any layout), with the fused epilogue of
  // ops::rms_norm_channels: act(norm(x)) + residual.
  Tensor forward_channels(const Tensor& x, const Tensor& residual = {},
                          ops::Activation act = ops::Activation::kIdentity) const;

 private:
  float eps_;
  Parameter weight_;  // "weight"
  Parameter bias_;    // "bias"
};

// torch.nn.GroupNorm (affine): "weight"/"bias" [C], kept in f32 (the per-channel
// affine runs in f32 whatever the activation dtype).
class GroupNorm : public Module {
 public:
  GroupNorm(Module* parent, std::string name, int64_t channels, int64_t groups, float eps);
  // act(group_norm(x)) over [N, C, ...] (e.g. SiLU after the norm); the output is contiguous.
  Tensor forward(const Tensor& x, ops::Activation act = ops::Activation::kIdentity) const;
  int64_t groups() const { return groups_; }

 private:
  int64_t groups_;
  float eps_;
  Parameter weight_;  // "weight"
  Parameter bias_;    // "bias"
};

// torch.nn.BatchNorm2d in inference: folded once at load into a per-channel affine.
class BatchNorm2d : public Module {
 public:
  BatchNorm2d(Module* parent, std::string name, int64_t channels, float eps = 1e-5f);
  Tensor forward(const Tensor& x, const Tensor& residual = {}) const;  // [N, C, H, W] (+ residual, fused)
  // The folded affine y = x·scale + shift (f32 [C], on the load device), for
  // folding into a preceding convolution.
  const Tensor& scale() const { return scale_; }
  const Tensor& shift() const { return shift_; }

 protected:
  Status after_load(const LoadOptions& options) override;

 private:
  float eps_;
  Parameter weight_;               // "weight"
  Parameter bias_;                 // "bias"
  Parameter running_mean_;         // "running_mean"
  Parameter running_var_;          // "running_var"
  Parameter num_batches_tracked_;  // "num_batches_tracked" (training bookkeeping, unused)
  Tensor scale_, shift_;           // f32 [C] on the load device
};

// A channel norm chosen by name ("rms_norm" | "batch_norm"), as diffusers'
// get_normalization: registers the chosen layer under `name` in `parent`.
class ChannelNorm {
 public:
  ChannelNorm(Module* parent, std::string name, const std::string& norm_type, int64_t channels);
  Tensor forward(const Tensor& x, const Tensor& residual = {}) const;  // [N, C, H, W] (+ residual, fused)
  const BatchNorm2d* batch_norm() const { return batch_.get(); }  // null for rms_norm

 private:
  std::unique_ptr<RMSNorm> rms_;
  std::unique_ptr<BatchNorm2d> batch_;
};

}  // namespace dc::nn
