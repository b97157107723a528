#include "ui/settings/app_settings.h"

namespace dc::ui {

AppSettings load_settings(QSettings& store, const QString& default_output_folder) {
  AppSettings s;
  s.model_folders = store.value(QStringLiteral("models/folders")).toStringList();
  s.output_folder = store.value(QStringLiteral("output/folder"), default_output_folder).toString();
  s.lora_folder = store.value(QStringLiteral("loras/folder")).toString();
  s.vram_budget = store.value(QStringLiteral("engine/vram_budget"), 0).toULongLong();
  s.device = store.value(QStringLiteral("engine/device"), QStringLiteral("auto")).toString();
  if (s.device != QLatin1String("cpu") && s.device != QLatin1String("cuda")) s.device = QStringLiteral("auto");
  return s;
}

void save_settings(QSettings& store, const AppSettings& s) {
  store.setValue(QStringLiteral("models/folders"), s.model_folders);
  store.setValue(QStringLiteral("output/folder"), s.output_folder);
  store.setValue(QStringLiteral("loras/folder"), s.lora_folder);
  store.setValue(QStringLiteral("engine/vram_budget"), s.vram_budget);
  store.setValue(QStringLiteral("engine/device"), s.device);
  store.sync();
}

}  // namespace dc::ui
