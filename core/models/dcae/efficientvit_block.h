// diffusers autoencoder_dc.py EfficientViTBlock: linear attention ("attn") then
// GLUMBConv ("conv_out", from sana_transformer.py), each with its residual.
#pragma once

#include "core/models/dcae/linear_attention_block.h"

namespace dc::models::dcae {

// Memory knob: GLUMBConv processes rows in bands whose widest intermediate stays
// under this many bytes (default 256 MiB). Results do not depend on it.
void set_glumbconv_band_bytes(size_t bytes);

// GLUMBConv: 1x1 expand (×2·expand, SiLU) → depthwise 3x3 → hidden·SiLU(gate) → 1x1 → RMSNorm, + residual.
class GLUMBConv : public nn::Module {
 public:
  GLUMBConv(nn::Module* parent, std::string name, int64_t channels, int64_t expand_ratio = 4);
  Tensor forward(const Tensor& x) const;  // [N, C, H, W] -> same

 private:
  // Rows [r0, r1) of the output from input rows [r0-1, r1+1) (the depthwise 3x3's reach).
  Tensor forward_rows(const Tensor& x, int64_t r0, int64_t r1) const;

  int64_t expanded_channels_;  // 2·expand·C: the widest intermediate
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
