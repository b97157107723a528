#include "ui/prompt/prompt_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/prompt/lora_list.h"
#include "ui/prompt/seed_field.h"
#include "ui/prompt/size_presets.h"

namespace dc::ui {
namespace {

constexpr int kCommitDelayMs = 600;  // a pause in typing ends one undoable edit

QSpinBox* make_spin(QWidget* parent, const char* name, int min, int max, int step, int value) {
  auto* spin = new QSpinBox(parent);
  spin->setObjectName(QLatin1String(name));
  spin->setRange(min, max);
  spin->setSingleStep(step);
  spin->setValue(value);
  return spin;
}

QDoubleSpinBox* make_double_spin(QWidget* parent, const char* name, double min, double max, double value) {
  auto* spin = new QDoubleSpinBox(parent);
  spin->setObjectName(QLatin1String(name));
  spin->setRange(min, max);
  spin->setDecimals(1);
  spin->setSingleStep(0.5);
  spin->setValue(value);
  return spin;
}

}  // namespace

PromptPanel::PromptPanel(QWidget* parent)
    : QWidget(parent),
      model_(new QComboBox(this)),
      prompt_(new QPlainTextEdit(this)),
      negative_(new QPlainTextEdit(this)),
      true_cfg_(make_double_spin(this, "trueCfg", 1, 30, 4.0)),
      seed_(new SeedField(this)),
      steps_(make_spin(this, "steps", 1, 1000, 1, 20)),
      sampler_(new QComboBox(this)),
      schedule_(new QComboBox(this)),
      guidance_(make_double_spin(this, "guidance", 0, 30, 3.5)),
      size_preset_(new QComboBox(this)),
      width_(make_spin(this, "width", 32, 16384, 32, 1024)),
      height_(make_spin(this, "height", 32, 16384, 32, 1024)),
      batch_(make_spin(this, "batch", 1, 64, 1, 1)),
      loras_(new LoRAListWidget(this)),
      generate_(new QPushButton(tr("Generate"), this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      commit_timer_(new QTimer(this)) {
  setObjectName(QStringLiteral("promptPanel"));
  model_->setObjectName(QStringLiteral("model"));
  model_->setPlaceholderText(tr("No models: add a folder in Settings"));
  prompt_->setObjectName(QStringLiteral("prompt"));
  prompt_->setPlaceholderText(tr("Describe the image…"));
  negative_->setObjectName(QStringLiteral("negativePrompt"));
  negative_->setPlaceholderText(tr("What to avoid (optional; enables true CFG, two passes per step)"));
  negative_->setMaximumHeight(70);
  true_cfg_->setToolTip(tr("True CFG scale, used with a negative prompt"));
  guidance_->setToolTip(tr("Embedded (distilled) guidance of FLUX-dev style models"));
  sampler_->setObjectName(QStringLiteral("sampler"));
  sampler_->addItem(tr("Euler (flow matching)"), QStringLiteral("flow_match_euler"));
  sampler_->setToolTip(tr("The FLUX pipelines' flow-match Euler sampler"));
  schedule_->setObjectName(QStringLiteral("schedule"));
  schedule_->addItem(tr("Auto (the model's own)"), QStringLiteral("auto"));
  schedule_->addItem(tr("FLUX resolution shift"), QStringLiteral("flux"));
  schedule_->addItem(tr("DC-Gen flux2 warp"), QStringLiteral("flux2"));
  schedule_->setToolTip(tr("How the noise levels are spread over the steps. Auto: DC-Gen 1K models use the flux2 "
                           "warp, everything else FLUX's resolution-dependent shift (dcgen --shift)"));
  generate_->setObjectName(QStringLiteral("generate"));
  generate_->setDefault(true);
  generate_->setToolTip(tr("Generate (Ctrl+Enter)"));
  cancel_->setObjectName(QStringLiteral("cancel"));
  cancel_->setToolTip(tr("Cancel the running job (Esc)"));
  cancel_->setEnabled(false);

  auto* form = new QFormLayout;
  form->addRow(tr("Model"), model_);
  form->addRow(tr("Prompt"), prompt_);
  form->addRow(tr("Negative"), negative_);
  form->addRow(tr("True CFG"), true_cfg_);
  form->addRow(tr("Seed"), seed_);
  form->addRow(tr("Steps"), steps_);
  form->addRow(tr("Sampler"), sampler_);
  form->addRow(tr("Schedule"), schedule_);
  form->addRow(tr("Guidance"), guidance_);
  form->addRow(tr("Size"), buildSizeRow());
  form->addRow(tr("Batch"), batch_);
  auto* add_lora = new QPushButton(tr("Add LoRA…"), this);
  add_lora->setObjectName(QStringLiteral("addLoRA"));
  add_lora->setToolTip(tr("Add LoRA files (.safetensors); files can also be dropped on the list"));
  connect(add_lora, &QPushButton::clicked, loras_, &LoRAListWidget::browse);
  auto* add_row = new QHBoxLayout;
  add_row->addWidget(add_lora);
  add_row->addStretch();
  form->addRow(tr("LoRAs"), add_row);
  form->addRow(loras_);  // the full width: rows hold a name, a strength and four buttons
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(generate_, 1);
  buttons->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addStretch();

  commit_timer_->setSingleShot(true);
  commit_timer_->setInterval(kCommitDelayMs);
  connect(commit_timer_, &QTimer::timeout, this, &PromptPanel::commitEdits);
  connect(generate_, &QPushButton::clicked, this, &PromptPanel::generateRequested);
  connect(cancel_, &QPushButton::clicked, this, &PromptPanel::cancelRequested);
  for (QComboBox* box : {model_, sampler_, schedule_})
    connect(box, &QComboBox::currentIndexChanged, this, &PromptPanel::onEdited);
  connect(prompt_, &QPlainTextEdit::textChanged, this, &PromptPanel::onEdited);
  connect(negative_, &QPlainTextEdit::textChanged, this, [this] {
    updateCfgEnabled();
    onEdited();
  });
  connect(seed_, &SeedField::seedChanged, this, &PromptPanel::onEdited);
  for (QDoubleSpinBox* spin : {true_cfg_, guidance_})
    connect(spin, &QDoubleSpinBox::valueChanged, this, &PromptPanel::onEdited);
  // List edits settle at once (after what was pending); strengths like typing.
  connect(loras_, &LoRAListWidget::aboutToEdit, this, &PromptPanel::commitEdits);
  connect(loras_, &LoRAListWidget::edited, this, &PromptPanel::commitEdits);
  connect(loras_, &LoRAListWidget::strengthEdited, this, &PromptPanel::onEdited);
  for (QSpinBox* spin : {steps_, batch_}) connect(spin, &QSpinBox::valueChanged, this, &PromptPanel::onEdited);
  for (QSpinBox* spin : {width_, height_}) {
    connect(spin, &QSpinBox::valueChanged, this, [this] {
      syncPresetToSize();
      onEdited();
    });
  }
  connect(size_preset_, &QComboBox::activated, this, &PromptPanel::applyPreset);
  syncPresetToSize();
  updateCfgEnabled();
  committed_ = params();
}

QWidget* PromptPanel::buildSizeRow() {
  size_preset_->setObjectName(QStringLiteral("sizePreset"));
  for (const SizePreset& p : size_presets()) size_preset_->addItem(p.label);
  size_preset_->addItem(tr("Custom"));
  auto* row = new QWidget(this);
  auto* grid = new QVBoxLayout(row);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(size_preset_);
  auto* wh = new QHBoxLayout;
  wh->addWidget(width_);
  wh->addWidget(new QLabel(QStringLiteral("×"), row));
  wh->addWidget(height_);
  grid->addLayout(wh);
  return row;
}

GenerationParams PromptPanel::params() const {
  GenerationParams p;
  p.model_folder = model_->currentData().toString();
  p.prompt = prompt_->toPlainText();
  p.negative_prompt = negative_->toPlainText();
  p.true_cfg_scale = true_cfg_->value();
  p.guidance = guidance_->value();
  p.steps = steps_->value();
  p.sampler = sampler_->currentData().toString();
  p.schedule = schedule_->currentData().toString();
  p.width = width_->value();
  p.height = height_->value();
  p.batch = batch_->value();
  p.seed = seed_->seed();
  p.loras = loras_->entries();
  return p;
}

void PromptPanel::setParams(const GenerationParams& p) {
  applying_ = true;
  int model = model_->findData(p.model_folder);
  if (model < 0 && !p.model_folder.isEmpty()) {  // a folder no longer configured: still usable
    model_->addItem(p.model_folder, p.model_folder);
    model = model_->count() - 1;
  }
  model_->setCurrentIndex(model);
  if (prompt_->toPlainText() != p.prompt) prompt_->setPlainText(p.prompt);
  if (negative_->toPlainText() != p.negative_prompt) negative_->setPlainText(p.negative_prompt);
  true_cfg_->setValue(p.true_cfg_scale);
  guidance_->setValue(p.guidance);
  steps_->setValue(p.steps);
  // Values this build does not know (a newer file) fall back to the defaults.
  sampler_->setCurrentIndex(std::max(0, sampler_->findData(p.sampler)));
  schedule_->setCurrentIndex(std::max(0, schedule_->findData(p.schedule)));
  width_->setValue(p.width);
  height_->setValue(p.height);
  batch_->setValue(p.batch);
  seed_->setSeed(p.seed);
  loras_->setEntries(p.loras);
  applying_ = false;
  commit_timer_->stop();
  committed_ = params();
}

void PromptPanel::setModels(const QList<ModelEntry>& models) {
  const QString current = model_->currentData().toString();
  applying_ = true;
  model_->clear();
  for (const ModelEntry& m : models) {
    model_->addItem(m.name, m.folder);
    model_->setItemData(model_->count() - 1, m.folder, Qt::ToolTipRole);
  }
  const int keep = model_->findData(current);
  model_->setCurrentIndex(keep >= 0 ? keep : (models.isEmpty() ? -1 : 0));
  applying_ = false;
  committed_.model_folder = params().model_folder;  // a new list is not an edit to undo
}

GenerationParams PromptPanel::paramsForGeneration() {
  seed_->seedForNextGeneration();
  commitEdits();  // the seed drawn is an edit too: undo brings the previous one back
  return params();
}

void PromptPanel::setSeedLocked(bool locked) { seed_->setLocked(locked); }
bool PromptPanel::isSeedLocked() const { return seed_->isLocked(); }

void PromptPanel::setGenerating(bool generating) { cancel_->setEnabled(generating); }

void PromptPanel::setLoRAFolder(const QString& folder) { loras_->setBrowseFolder(folder); }

void PromptPanel::onEdited() {
  if (!applying_) commit_timer_->start();
}

void PromptPanel::commitEdits() {
  commit_timer_->stop();
  const GenerationParams now = params();
  if (now == committed_) return;
  const GenerationParams before = committed_;
  committed_ = now;
  Q_EMIT paramsCommitted(before, now);
}

void PromptPanel::applyPreset(int index) {
  if (index < 0 || index >= size_presets().size()) return;
  const SizePreset& p = size_presets()[index];
  width_->setValue(p.width);
  height_->setValue(p.height);
}

void PromptPanel::syncPresetToSize() {
  const QList<SizePreset>& presets = size_presets();
  int index = static_cast<int>(presets.size());  // "Custom"
  for (int i = 0; i < presets.size(); ++i)
    if (presets[i].width == width_->value() && presets[i].height == height_->value()) index = i;
  size_preset_->setCurrentIndex(index);
}

void PromptPanel::updateCfgEnabled() { true_cfg_->setEnabled(!negative_->toPlainText().trimmed().isEmpty()); }

}  // namespace dc::ui
