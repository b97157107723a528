#include "core/models/dcae/resample_blocks.h"

#include "core/ops/elementwise.h"
#include "core/ops/resample.h"

namespace dc::models::dcae {

constexpr int kFactor = 2;

DCDownBlock2d::DCDownBlock2d(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels,
                             bool pixel_unshuffle, bool shortcut)
    : Layer2d(parent, std::move(name)),
      pixel_unshuffle_(pixel_unshuffle),
      shortcut_(shortcut),
      group_size_(in_channels * kFactor * kFactor / out_channels),
      conv_(this, "conv",
            {.in_channels = in_channels,
             .out_channels = pixel_unshuffle ? out_channels / (kFactor * kFactor) : out_channels,
             .kernel_size = 3,
             .stride = pixel_unshuffle ? 1 : kFactor,
             .padding = 1}) {}

Tensor DCDownBlock2d::forward(const Tensor& x) const {
  Tensor h = conv_.forward(x);
  if (pixel_unshuffle_) h = ops::pixel_unshuffle(h, kFactor);  // [N, Cout, H/2, W/2]
  if (!shortcut_) return h;
  Tensor y = ops::channel_group_mean(ops::pixel_unshuffle(x, kFactor), group_size_);  // [N, Cout, H/2, W/2]
  return ops::add(h, y);
}

DCUpBlock2d::DCUpBlock2d(nn::Module* parent, std::string name, int64_t in_channels, int64_t out_channels,
                         bool interpolate, bool shortcut)
    : Layer2d(parent, std::move(name)),
      interpolate_(interpolate),
      shortcut_(shortcut),
      conv_(this, "conv",
            {.in_channels = in_channels,
             .out_channels = interpolate ? out_channels : out_channels * kFactor * kFactor,
             .kernel_size = 3,
             .padding = 1}) {}

Tensor DCUpBlock2d::forward(const Tensor& x) const {
  if (interpolate_) {
    Tensor h = conv_.forward(ops::upsample_nearest2d(x, kFactor));  // [N, Cout, 2H, 2W]
    // + pixel_shuffle(repeat_interleave(x)), the shortcut gathered in the same pass as the add.
    return shortcut_ ? ops::add_shuffled_shortcut(h, x, kFactor) : h;
  }
  // pixel_shuffle(conv(x)) + pixel_shuffle(repeat_interleave(x)) = pixel_shuffle(conv(x) + repeat_interleave(x)),
  // one pass with the repeat folded into the shuffle.
  Tensor h = conv_.forward(x);                                       // [N, Cout·4, H, W]
  return ops::pixel_shuffle(h, kFactor, shortcut_ ? x : Tensor());  // [N, Cout, 2H, 2W]
}

}  // namespace dc::models::dcae
