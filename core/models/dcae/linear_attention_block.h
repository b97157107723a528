// diffusers SanaMultiscaleLinearAttention (attention_processor.py) with
// SanaMultiscaleAttnProcessor2_0: q/k/v 1x1 projections, multi-scale depthwise
// aggregation, ReLU linear attention in f32, output projection, norm, residual.
#pragma once

#include "core/nn/conv2d.h"
#include "core/nn/norms.h"

namespace dc::models::dcae {

// SanaMultiscaleAttentionProjection: depthwise k×k then grouped 1x1 (groups = 3·heads).
class MultiscaleProjection : public nn::Module {
 public:
  MultiscaleProjection(nn::Module* parent, std::string name, int64_t inner_dim, int64_t heads, int kernel_size);
  Tensor forward(const Tensor& qkv) const;  // [N, 3·inner, H, W] -> same

 private:
  nn::Conv2d proj_in_;   // "proj_in"
  nn::Conv2d proj_out_;  // "proj_out"
};

class LinearAttentionBlock : public nn::Module {
 public:
  LinearAttentionBlock(nn::Module* parent, std::string name, int64_t channels, int64_t head_dim,
                       const std::vector<int64_t>& kernel_sizes, const std::string& norm_type);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> same (residual included)

 protected:
  Status after_load(const nn::LoadOptions& options) override;

 private:
  int64_t head_dim_;
  nn::ChannelLinear to_q_;                             // "to_q"
  nn::ChannelLinear to_k_;                             // "to_k"
  nn::ChannelLinear to_v_;                             // "to_v"
  nn::ModuleList<MultiscaleProjection> multiscale_;    // "to_qkv_multiscale"
  nn::ChannelLinear to_out_;                           // "to_out"
  nn::ChannelNorm norm_out_;                           // "norm_out"
  Tensor qkv_weight_;  // [3·inner, C, 1, 1]: to_q, to_k, to_v stacked at load so one GEMM projects all three
};

}  // namespace dc::models::dcae
