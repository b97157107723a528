// diffusers autoencoder_dc.py DCDownBlock2d / DCUpBlock2d: 2x spatial change by
// conv (+ pixel (un)shuffle or nearest interpolation), plus an optional
// parameter-free shortcut (space-to-channel with group averaging, or channel
// repeat with depth-to-space).
#pragma once

#include "core/nn/conv2d.h"

namespace dc::models::dcae {

class DCDownBlock2d : public nn::Layer2d {
 public:
  // pixel_unshuffle: conv at stride 1 to out/4 channels then unshuffle; else a stride-2 conv.
  DCDownBlock2d(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels,
                bool pixel_unshuffle, bool shortcut);
  Tensor forward(const Tensor& x) const override;  // [N, Cin, H, W] -> [N, Cout, H/2, W/2]

 private:
  bool pixel_unshuffle_, shortcut_;
  int64_t group_size_;  // Cin·4 / Cout channels averaged by the shortcut
  nn::Conv2d conv_;     // "conv"
};

class DCUpBlock2d : public nn::Layer2d {
 public:
  // interpolate: nearest 2x then conv; else conv to out·4 channels then pixel shuffle.
  // The shortcut repeats each input channel Cout·4 / Cin times, then pixel-shuffles.
  DCUpBlock2d(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels, bool interpolate,
              bool shortcut);
  Tensor forward(const Tensor& x) const override;  // [N, Cin, H, W] -> [N, Cout, 2H, 2W]

 private:
  bool interpolate_, shortcut_;
  nn::Conv2d conv_;  // "conv"
};

}  // namespace dc::models::dcae
