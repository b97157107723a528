#include "ui/prompt/size_presets.h"

#include <QCoreApplication>

namespace dc::ui {

const QList<SizePreset>& size_presets() {
  static const QList<SizePreset> presets = [] {
    auto tr = [](const char* text) { return QCoreApplication::translate("dc::ui::SizePreset", text); };
    return QList<SizePreset>{
        {tr("512 × 512"), 512, 512},
        {tr("768 × 768"), 768, 768},
        {tr("1024 × 1024 · 1K square"), 1024, 1024},
        {tr("1152 × 896 · 4:3"), 1152, 896},
        {tr("896 × 1152 · 3:4"), 896, 1152},
        {tr("1344 × 768 · 16:9"), 1344, 768},
        {tr("768 × 1344 · 9:16"), 768, 1344},
        {tr("1920 × 1088 · Full HD"), 1920, 1088},
        {tr("2048 × 2048 · 2K square"), 2048, 2048},
        {tr("3840 × 2176 · 4K UHD"), 3840, 2176},
        {tr("4096 × 4096 · 4K square"), 4096, 4096},
    };
  }();
  return presets;
}

}  // namespace dc::ui
