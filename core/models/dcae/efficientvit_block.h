// diffusers autoencoder_dc.py EfficientViTBlock: linear attention ("attn") then
// GLUMBConv ("conv_out", from sana_transformer.py), each with its residual.
#pragma once

#include "core/models/dcae/linear_attention_block.h"

namespace dc::models::dcae {

// GLUMBConv: 1x1 expand (×2·expand, SiLU) → depthwise 3x3 → hidden·SiLU(gate) → 1x1 → RMSNorm, + residual.
class GLUMBConv : public nn::Module {
 public:
  GLUMBConv(nn::Module* parent, std::string name, int64_t channels, int64_t expand_ratio = 4);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> same

 private:
  nn::Conv2d conv_inverted_;  // "conv_inverted"
  nn::Conv2d conv_depth_;     // "conv_depth"
  nn::Conv2d conv_point_;     // "conv_point"
  nn::RMSNorm norm_;          // "norm"
};

class EfficientViTBlock : public nn::Layer2d {
 public:
  EfficientViTBlock(nn::Module* parent, std::string name, int64_t channels, int64_t head_dim,
                    const std::vector<int64_t>& qkv_multiscales, const std::string& norm_type);
  Tensor forward(const Tensor& x) const override;

 private:
  LinearAttentionBlock attn_;  // "attn"
  GLUMBConv conv_out_;         // "conv_out"
};

}  // namespace dc::models::dcae
