#include "core/nn/norms.h"

#include "core/base/assert.h"
#include "core/ops/copy.h"
#include "core/ops/norm.h"

namespace dc::nn {

RMSNorm::RMSNorm(Module* parent, std::string name, int64_t channels, float eps, bool affine, bool bias)
    : Module(parent, std::move(name)),
      eps_(eps),
      weight_(this, "weight", {channels}, affine ? ParamKind::kRequired : ParamKind::kAbsent),
      bias_(this, "bias", {channels}, affine && bias ? ParamKind::kRequired : ParamKind::kAbsent) {}

Tensor RMSNorm::forward(const Tensor& x) const { return ops::rms_norm(x, weight_.get(), bias_.get(), eps_); }

Tensor RMSNorm::forward_channels(const Tensor& x, const Tensor& residual, ops::Activation act) const {
  return ops::rms_norm_channels(x, weight_.get(), bias_.get(), eps_, residual, act);
}

GroupNorm::GroupNorm(Module* parent, std::string name, int64_t channels, int64_t groups, float eps)
    : Module(parent, std::move(name)),
      groups_(groups),
      eps_(eps),
      weight_(this, "weight", {channels}, ParamKind::kRequired, /*keep_f32=*/true),
      bias_(this, "bias", {channels}, ParamKind::kRequired, true) {
  DC_ASSERT(groups > 0 && channels % groups == 0, "GroupNorm " << path() << ": " << channels
                                                                  << " channels do not split into " << groups
                                                                  << " groups (configs are validated at parse)");
}

Tensor GroupNorm::forward(const Tensor& x, ops::Activation act) const {
  const Tensor y = ops::group_norm(x, weight_.get(), bias_.get(), groups_, eps_);
  return act == ops::Activation::kIdentity ? y : ops::activation(y, act);
}

BatchNorm2d::BatchNorm2d(Module* parent, std::string name, int64_t channels, float eps)
    : Module(parent, std::move(name)),
      eps_(eps),
      weight_(this, "weight", {channels}, ParamKind::kRequired, /*keep_f32=*/true),
      bias_(this, "bias", {channels}, ParamKind::kRequired, true),
      running_mean_(this, "running_mean", {channels}, ParamKind::kRequired, true),
      running_var_(this, "running_var", {channels}, ParamKind::kRequired, true),
      num_batches_tracked_(this, "num_batches_tracked", {}, ParamKind::kIgnored) {}

Status BatchNorm2d::after_load(const LoadOptions& options) {
  return catch_errors([&] {
    const ops::FoldedBatchNorm f =
        ops::fold_batch_norm(running_mean_.get(), running_var_.get(), weight_.get(), bias_.get(), eps_);
    scale_ = ops::to_device(f.scale, options.device);
    shift_ = ops::to_device(f.shift, options.device);
  });
}

Tensor BatchNorm2d::forward(const Tensor& x, const Tensor& residual) const {
  return ops::channel_affine(x, scale_, shift_, residual);
}

ChannelNorm::ChannelNorm(Module* parent, std::string name, const std::string& norm_type, int64_t channels) {
  if (norm_type == "rms_norm") {
    rms_ = std::make_unique<RMSNorm>(parent, std::move(name), channels, 1e-5f, true, true);
  } else {
    DC_ASSERT(norm_type == "batch_norm", "unknown norm type " << norm_type << " (configs are validated at parse)");
    batch_ = std::make_unique<BatchNorm2d>(parent, std::move(name), channels);
  }
}

Tensor ChannelNorm::forward(const Tensor& x, const Tensor& residual) const {
  return rms_ ? rms_->forward_channels(x, residual) : batch_->forward(x, residual);
}

}  // namespace dc::nn
