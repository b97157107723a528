#include "core/nn/conv2d.h"

namespace dc::nn {

Conv2d::Conv2d(Module* parent, std::string name, const Conv2dSpec& spec)
    : Module(parent, std::move(name)),
      spec_(spec),
      weight_(this, "weight", {spec.out_channels, spec.in_channels / spec.groups, spec.kernel_size, spec.kernel_size}),
      bias_(this, "bias", {spec.out_channels}, spec.bias ? ParamKind::kRequired : ParamKind::kAbsent) {}

Tensor Conv2d::forward(const Tensor& x) const { return forward(x, {}, ops::Activation::kIdentity); }

Tensor Conv2d::forward(const Tensor& x, const Tensor& residual, ops::Activation act) const {
  return ops::conv2d(x, weight_.get(), spec_.bias ? bias_.get() : Tensor(),
                     {.stride = spec_.stride, .padding = spec_.padding, .groups = spec_.groups, .activation = act},
                     residual);
}

ChannelLinear::ChannelLinear(Module* parent, std::string name, int64_t in_channels, int64_t out_channels, bool bias)
    : Module(parent, std::move(name)),
      in_(in_channels),
      out_(out_channels),
      weight_(this, "weight", {out_channels, in_channels}),
      bias_(this, "bias", {out_channels}, bias ? ParamKind::kRequired : ParamKind::kAbsent) {}

Tensor ChannelLinear::forward(const Tensor& x) const {
  const Tensor w = weight_.get().view({out_, in_, 1, 1});
  return ops::conv2d(x, w, bias_.defined() ? bias_.get() : Tensor(), {});
}

}  // namespace dc::nn
