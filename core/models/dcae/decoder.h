// diffusers autoencoder_dc.py Decoder: conv_in with an optional channel-repeat
// shortcut, stages (deepest first) each starting with a 2x upsample, RMSNorm,
// activation, conv_out.
#pragma once

#include <memory>

#include "core/models/dcae/config.h"
#include "core/models/dcae/resample_blocks.h"
#include "core/nn/norms.h"

namespace dc::models::dcae {

class Decoder : public nn::Module {
 public:
  Decoder(nn::Module* parent, std::string name, const DCAEConfig& c);
  Tensor forward(const Tensor& z) const;  // [N, latent, h, w] -> [N, 3, h·f, w·f]

  // The decoder split for exact tiling: the head holds every attention block
  // (global) and the coarse stages, the tail (at most kMaxTailStages finest
  // stages) only convolutions and per-pixel ops (local), so the tail can run on
  // overlapping tiles of the head's output and give the untiled result.
  static constexpr size_t kMaxTailStages = 2;
  Tensor forward_head(const Tensor& z) const;  // [N, latent, h, w] -> [N, C_s, h·2^k, w·2^k]
  Tensor forward_tail(const Tensor& h) const;  // -> [N, 3, H, W]
  // Pixels of head output that influence a tail output pixel beyond its own
  // footprint (the tail's receptive radius, rounded up): the halo tiles need.
  int64_t tail_halo() const { return tail_halo_; }

 private:
  const DCAEConfig& config_;
  nn::Conv2d conv_in_;                                  // "conv_in"
  nn::ModuleList<nn::ModuleList<nn::Layer2d>> stages_;  // "up_blocks" (index = stage; run deepest first)
  nn::RMSNorm norm_out_;                                // "norm_out"
  std::unique_ptr<nn::Conv2d> conv_out_;                // "conv_out" when the first stage has layers
  std::unique_ptr<DCUpBlock2d> conv_out_up_;            // "conv_out" otherwise
  size_t tail_stages_ = 0;  // stages [0, tail_stages_) hold no attention
  int64_t tail_halo_ = 1;
};

}  // namespace dc::models::dcae
