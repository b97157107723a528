#include "ui/prompt/params_command.h"

#include <QCoreApplication>
#include <QStringList>
#include <algorithm>

#include "ui/prompt/prompt_panel.h"

namespace dc::ui {
namespace {

// "Add LoRA style", "Change strength of LoRA style", "Reorder LoRAs", ...
QString describe_lora_change(const QList<LoRAEntry>& before, const QList<LoRAEntry>& after) {
  auto tr = [](const char* text) { return QCoreApplication::translate("dc::ui::ParamsCommand", text); };
  if (before == after) return {};
  auto listed = [](const QList<LoRAEntry>& list, const QString& path) {
    return std::any_of(list.begin(), list.end(), [&](const LoRAEntry& e) { return e.path == path; });
  };
  auto not_in = [&](const QList<LoRAEntry>& from, const QList<LoRAEntry>& other) {
    QStringList names;
    for (const LoRAEntry& e : from)
      if (!listed(other, e.path)) names << lora_name(e.path);
    return names;
  };
  if (after.size() != before.size()) {
    const bool adding = after.size() > before.size();
    const QStringList names = adding ? not_in(after, before) : not_in(before, after);
    if (names.size() == 1) return (adding ? tr("Add LoRA %1") : tr("Remove LoRA %1")).arg(names.front());
    return (adding ? tr("Add %1 LoRAs") : tr("Remove %1 LoRAs")).arg(names.size());
  }
  QList<int> changed;
  for (int i = 0; i < after.size(); ++i) {
    if (after[i].path != before[i].path) {
      return not_in(after, before).isEmpty() ? tr("Reorder LoRAs") : tr("Change LoRAs");
    }
    if (after[i] != before[i]) changed << i;
  }
  if (changed.size() != 1) return tr("Change LoRAs");
  const LoRAEntry& b = before[changed.front()];
  const LoRAEntry& a = after[changed.front()];
  const QString name = lora_name(a.path);
  if (a.enabled == b.enabled) return tr("Change strength of LoRA %1").arg(name);
  if (a.strength == b.strength) return (a.enabled ? tr("Enable LoRA %1") : tr("Disable LoRA %1")).arg(name);
  return tr("Change LoRAs");
}

}  // namespace

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
  auto check = [&](bool differs, const QString& text) {
    if (!differs) return;
    ++changed;
    what = text;
  };
  check(b.model_folder != a.model_folder, tr("Change model"));
  check(b.prompt != a.prompt, tr("Edit prompt"));
  check(b.negative_prompt != a.negative_prompt, tr("Edit negative prompt"));
  check(b.true_cfg_scale != a.true_cfg_scale, tr("Change true CFG"));
  check(b.guidance != a.guidance, tr("Change guidance"));
  check(b.steps != a.steps, tr("Change steps"));
  check(b.width != a.width || b.height != a.height, tr("Change size"));
  check(b.batch != a.batch, tr("Change batch"));
  check(b.seed != a.seed, tr("Change seed"));
  check(b.loras != a.loras, describe_lora_change(b.loras, a.loras));
  return changed == 1 ? what : tr("Change parameters");
}

}  // namespace dc::ui
