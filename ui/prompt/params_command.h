// An undoable change of the prompt panel's parameters (an edit that settled, a
// drawn seed, "reopen parameters"). Created after the panel already shows
// `after`, so the first redo() changes nothing; consecutive typing in the same
// field merges into one step.
#pragma once

#include <QUndoCommand>

#include "ui/common/generation_params.h"

namespace dc::ui {

class PromptPanel;

class ParamsCommand : public QUndoCommand {
 public:
  ParamsCommand(PromptPanel* panel, GenerationParams before, GenerationParams after, const QString& text);

  void undo() override;
  void redo() override;
  int id() const override { return kId; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  static constexpr int kId = 0x5043;  // 'PC'

  PromptPanel* panel_;
  GenerationParams before_;
  GenerationParams after_;
  bool applied_ = true;  // the panel already shows after_
};

// "Edit prompt", "Change seed", ... for the Edit menu, from what changed.
QString describe_change(const GenerationParams& before, const GenerationParams& after);

}  // namespace dc::ui
