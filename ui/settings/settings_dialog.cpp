#include "ui/settings/settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace dc::ui {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

}  // namespace

SettingsDialog::SettingsDialog(const AppSettings& settings, QWidget* parent)
    : QDialog(parent),
      model_folders_(new QListWidget(this)),
      output_folder_(new QLineEdit(settings.output_folder, this)),
      lora_folder_(new QLineEdit(settings.lora_folder, this)),
      vram_budget_gib_(new QDoubleSpinBox(this)),
      device_(new QComboBox(this)) {
  setWindowTitle(tr("Settings"));
  setObjectName(QStringLiteral("settingsDialog"));

  model_folders_->setObjectName(QStringLiteral("modelFolders"));
  model_folders_->addItems(settings.model_folders);
  auto* add = new QPushButton(tr("Add…"), this);
  auto* remove = new QPushButton(tr("Remove"), this);
  connect(add, &QPushButton::clicked, this, &SettingsDialog::addModelFolder);
  connect(remove, &QPushButton::clicked, this, &SettingsDialog::removeModelFolder);
  auto* folder_buttons = new QVBoxLayout;
  folder_buttons->addWidget(add);
  folder_buttons->addWidget(remove);
  folder_buttons->addStretch();
  auto* folders = new QHBoxLayout;
  folders->addWidget(model_folders_);
  folders->addLayout(folder_buttons);

  output_folder_->setObjectName(QStringLiteral("outputFolder"));
  auto* browse = new QPushButton(tr("Browse…"), this);
  connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseOutputFolder);
  auto* output = new QHBoxLayout;
  output->addWidget(output_folder_);
  output->addWidget(browse);

  lora_folder_->setObjectName(QStringLiteral("loraFolder"));
  lora_folder_->setPlaceholderText(tr("Where \"Add LoRA…\" opens (optional)"));
  auto* browse_loras = new QPushButton(tr("Browse…"), this);
  connect(browse_loras, &QPushButton::clicked, this, &SettingsDialog::browseLoRAFolder);
  auto* loras = new QHBoxLayout;
  loras->addWidget(lora_folder_);
  loras->addWidget(browse_loras);

  vram_budget_gib_->setObjectName(QStringLiteral("vramBudget"));
  vram_budget_gib_->setRange(0, 1024);
  vram_budget_gib_->setDecimals(1);
  vram_budget_gib_->setSuffix(tr(" GiB"));
  vram_budget_gib_->setSpecialValueText(tr("all free memory"));
  vram_budget_gib_->setValue(static_cast<double>(settings.vram_budget) / kGiB);
  vram_budget_gib_->setToolTip(tr("GPU memory one job may hold. Below what a model needs, stages are loaded one at a "
                                  "time and large images are decoded in tiles."));

  device_->setObjectName(QStringLiteral("device"));
  device_->addItem(tr("Automatic (GPU when present)"), QStringLiteral("auto"));
  device_->addItem(tr("CPU"), QStringLiteral("cpu"));
  device_->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
  device_->setCurrentIndex(std::max(0, device_->findData(settings.device)));

  auto* form = new QFormLayout;
  form->addRow(tr("Model folders"), folders);
  form->addRow(tr("Output folder"), output);
  form->addRow(tr("LoRA folder"), loras);
  form->addRow(tr("GPU memory budget"), vram_budget_gib_);
  form->addRow(tr("Device"), device_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
  resize(560, 360);
}

AppSettings SettingsDialog::settings() const {
  AppSettings s;
  for (int i = 0; i < model_folders_->count(); ++i) s.model_folders << model_folders_->item(i)->text();
  s.output_folder = output_folder_->text().trimmed();
  s.lora_folder = lora_folder_->text().trimmed();
  s.vram_budget = static_cast<quint64>(vram_budget_gib_->value() * kGiB);
  s.device = device_->currentData().toString();
  return s;
}

void SettingsDialog::addModelFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a model folder"));
  if (!dir.isEmpty() && model_folders_->findItems(dir, Qt::MatchExactly).isEmpty()) model_folders_->addItem(dir);
}

void SettingsDialog::removeModelFolder() { delete model_folders_->currentItem(); }

void SettingsDialog::browseOutputFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), output_folder_->text());
  if (!dir.isEmpty()) output_folder_->setText(dir);
}

void SettingsDialog::browseLoRAFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("LoRA folder"), lora_folder_->text());
  if (!dir.isEmpty()) lora_folder_->setText(dir);
}

}  // namespace dc::ui
