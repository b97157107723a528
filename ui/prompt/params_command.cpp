#include "ui/prompt/params_command.h"

#include <QCoreApplication>

#include "ui/prompt/prompt_panel.h"

namespace dc::ui {

ParamsCommand::ParamsCommand(PromptPanel* panel, GenerationParams before, GenerationParams after, const QString& text)
    : QUndoCommand(text), panel_(panel), before_(std::move(before)), after_(std::move(after)) {}

void ParamsCommand::undo() {
  panel_->setParams(before_);
  applied_ = false;
}

void ParamsCommand::redo() {
  if (!applied_) panel_->setParams(after_);
  applied_ = true;
}

bool ParamsCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const ParamsCommand*>(other);
  // Only a continued edit of the same field merges (typing a prompt in pauses).
  if (next->text() != text() || next->panel_ != panel_ || next->before_ != after_) return false;
  after_ = next->after_;
  return true;
}

QString describe_change(const GenerationParams& b, const GenerationParams& a) {
  auto tr = [](const char* text) { return QCoreApplication::translate("dc::ui::ParamsCommand", text); };
  int changed = 0;
  QString what;
  auto check = [&](bool differs, const char* text) {
    if (!differs) return;
    ++changed;
    what = tr(text);
  };
  check(b.model_folder != a.model_folder, "Change model");
  check(b.prompt != a.prompt, "Edit prompt");
  check(b.negative_prompt != a.negative_prompt, "Edit negative prompt");
  check(b.true_cfg_scale != a.true_cfg_scale, "Change true CFG");
  check(b.guidance != a.guidance, "Change guidance");
  check(b.steps != a.steps, "Change steps");
  check(b.width != a.width || b.height != a.height, "Change size");
  check(b.batch != a.batch, "Change batch");
  check(b.seed != a.seed, "Change seed");
  return changed == 1 ? what : tr("Change parameters");
}

}  // namespace dc::ui
