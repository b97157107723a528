// Image size presets of the prompt panel. Every size is a multiple of 64 so it
// suits DC-Gen's 32x (Res1K) and 64x (Res4K) autoencoders alike; 4K UHD is
// 3840 x 2176 because 2160 is not a multiple of 64 (the pipelines have no crop yet).
#pragma once

#include <QList>
#include <QString>

namespace dc::ui {

struct SizePreset {
  QString label;
  int width = 0;
  int height = 0;
};

const QList<SizePreset>& size_presets();

}  // namespace dc::ui
