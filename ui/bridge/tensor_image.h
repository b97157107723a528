// Engine tensors as Qt images: [B, 3, H, W] f32 in [-1, 1] (images and latent
// previews alike) -> one RGB QImage per batch entry. Safe on any thread (QImage,
// unlike QPixmap, may be made off the UI thread).
#pragma once

#include <QImage>
#include <QList>

#include "core/tensor/tensor.h"

namespace dc::ui {

// Values are clamped to [-1, 1] (NaN to -1) and mapped to 0..255 as (v + 1) / 2 · 255, rounded.
// A tensor that is not [B, 3, H, W] on the CPU gives an empty list.
QList<QImage> images_from_tensor(const Tensor& images);

}  // namespace dc::ui
