// The app's preferences (Settings dialog), stored with QSettings in an INI file
// inside the app's data folder, so a test or a second profile can use its own.
//
//   QSettings store(data_dir + "/settings.ini", QSettings::IniFormat);
//   AppSettings s = load_settings(store);
//   s.model_folders << "/models";
//   save_settings(store, s);
#pragma once

#include <QSettings>
#include <QString>
#include <QStringList>

namespace dc::ui {

struct AppSettings {
  QStringList model_folders;  // pipeline folders, or folders holding pipeline folders
  QString output_folder;      // where generated images go
  QString lora_folder;        // where "Add LoRA…" browses first; empty: nowhere in particular
  quint64 vram_budget = 0;    // bytes a job may hold on the GPU; 0: whatever is free
  QString device = QStringLiteral("auto");  // "auto", "cpu", "cuda"
  bool operator==(const AppSettings&) const = default;
};

// Missing keys take defaults; the default output folder is `default_output_folder`.
AppSettings load_settings(QSettings& store, const QString& default_output_folder);
void save_settings(QSettings& store, const AppSettings& settings);

}  // namespace dc::ui
