// Conv2d (torch.nn.Conv2d): "weight" [Cout, Cin/groups, k, k], optional "bias" [Cout].
#pragma once

#include "core/nn/module.h"
#include "core/ops/conv.h"

namespace dc::nn {

struct Conv2dSpec {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int kernel_size = 1;
  int stride = 1;
  int padding = 0;
  int groups = 1;
  bool bias = true;
};

class Conv2d : public Module {
 public:
  Conv2d(Module* parent, std::string name, const Conv2dSpec& spec);
  Tensor forward(const Tensor& x) const;  // [N, Cin, H, W] -> [N, Cout, H', W']
  // act(conv(x) + bias + residual) in one op (fused where the backend can).
  Tensor forward(const Tensor& x, const Tensor& residual, ops::Activation act) const;
  const Conv2dSpec& spec() const { return spec_; }
  const Tensor& weight() const { return weight_.get(); }  // [Cout, Cin/groups, k, k]

 private:
  Conv2dSpec spec_;
  Parameter weight_;  // "weight"
  Parameter bias_;    // "bias"
};

// A conv whose spatial geometry is 1x1: torch.nn.Linear applied over the channel
// dim of NCHW (diffusers' movedim(1,-1) → Linear → movedim(-1,1) pattern).
// "weight" [Cout, Cin], optional "bias" [Cout].
class ChannelLinear : public Module {
 public:
  ChannelLinear(Module* parent, std::string name, int64_t in_channels, int64_t out_channels, bool bias);
  Tensor forward(const Tensor& x) const;  // [N, Cin, H, W] -> [N, Cout, H, W]
  const Tensor& weight() const { return weight_.get(); }  // [Cout, Cin]

 private:
  int64_t in_, out_;
  Parameter weight_;  // "weight"
  Parameter bias_;    // "bias"
};

}  // namespace dc::nn
