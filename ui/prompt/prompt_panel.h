// The prompt panel: what to generate (model, prompt, negative prompt, seed,
// steps, guidance, size, batch, LoRAs) and the Generate / Cancel buttons.
//
// It edits a GenerationParams. Edits settle into "commits" (after a short pause,
// or at once for wholesale changes) reported by paramsCommitted(before, after),
// which the main window turns into undoable commands; setParams() applies a
// value without reporting it (undo/redo and "reopen parameters" use it).
#pragma once

#include <QList>
#include <QWidget>

#include "ui/common/generation_params.h"
#include "ui/prompt/model_catalog.h"

class QComboBox;
class QDoubleSpinBox;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace dc::ui {

class LoRAListWidget;
class SeedField;

class PromptPanel : public QWidget {
  Q_OBJECT

 public:
  explicit PromptPanel(QWidget* parent = nullptr);

  GenerationParams params() const;
  void setParams(const GenerationParams& params);  // no paramsCommitted
  void setModels(const QList<ModelEntry>& models);  // keeps the selection when still listed
  // The parameters of the next generation: draws a new seed unless the seed is locked.
  GenerationParams paramsForGeneration();
  void setSeedLocked(bool locked);
  bool isSeedLocked() const;
  void setGenerating(bool generating);  // enables Cancel
  void setLoRAFolder(const QString& folder);  // where "Add LoRA…" browses first (Settings)
  LoRAListWidget* loraList() const { return loras_; }
  // Reports an edit still waiting for the typing pause now, before what it edits changes.
  void commitPendingEdits() { commitEdits(); }

 Q_SIGNALS:
  void generateRequested();
  void cancelRequested();
  void paramsCommitted(const dc::ui::GenerationParams& before, const dc::ui::GenerationParams& after);

 private:
  QWidget* buildSizeRow();
  void onEdited();      // restarts the commit timer
  void commitEdits();   // reports committed_ -> params() when they differ
  void applyPreset(int index);
  void syncPresetToSize();
  void updateCfgEnabled();

  QComboBox* model_;
  QPlainTextEdit* prompt_;
  QPlainTextEdit* negative_;
  QDoubleSpinBox* true_cfg_;
  SeedField* seed_;
  QSpinBox* steps_;
  QComboBox* sampler_;   // data: project::kSamplers
  QComboBox* schedule_;  // data: "auto", "flux", "flux2"
  QDoubleSpinBox* guidance_;
  QComboBox* size_preset_;
  QSpinBox* width_;
  QSpinBox* height_;
  QSpinBox* batch_;
  LoRAListWidget* loras_;
  QPushButton* generate_;
  QPushButton* cancel_;
  QTimer* commit_timer_;
  GenerationParams committed_;  // the value undo history last saw
  bool applying_ = false;       // inside setParams: edits are not the user's
};

}  // namespace dc::ui
