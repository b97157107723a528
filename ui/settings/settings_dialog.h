// Settings dialog: model folders, output folder, LoRA folder, GPU memory budget, device.
// Edits a copy; the caller reads settings() after exec() returns Accepted.
#pragma once

#include <QDialog>

#include "ui/settings/app_settings.h"

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QListWidget;

namespace dc::ui {

class SettingsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);
  AppSettings settings() const;

 private:
  void addModelFolder();
  void removeModelFolder();
  void browseOutputFolder();
  void browseLoRAFolder();

  QListWidget* model_folders_;
  QLineEdit* output_folder_;
  QLineEdit* lora_folder_;
  QDoubleSpinBox* vram_budget_gib_;
  QComboBox* device_;
};

}  // namespace dc::ui
