#include "ui/main_window/prompt_shot_link.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QUndoStack>

#include "ui/project/project_commands.h"
#include "ui/project/project_document.h"
#include "ui/prompt/params_command.h"
#include "ui/common/widget_helpers.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/timeline/timeline_model.h"

namespace dc::ui {
namespace {

// `made` with the paths of `shot` where they name the same files: an edit of the
// panel does not respell what the project already holds.
std::vector<project::LoRARef> with_shot_spelling(const std::vector<project::LoRARef>& shot,
                                                 std::vector<project::LoRARef> made, const QString& project_file) {
  const QList<LoRAEntry> old_files = lora_entries(shot, project_file);
  const QList<LoRAEntry> new_files = lora_entries(made, project_file);
  for (size_t i = 0; i < made.size(); ++i)
    for (size_t j = 0; j < shot.size(); ++j)
      if (canonical_path(new_files[i].path) == canonical_path(old_files[j].path)) made[i].path = shot[j].path;
  return made;
}

// "Load shot pan": the panel switched from free values to a shot. Undo unselects
// the shot before the old values return (they are not the shot's); redo selects it again.
class LoadShotCommand : public ParamsCommand {
 public:
  LoadShotCommand(PromptShotLink* link, TimelineModel* timeline, PromptPanel* panel, GenerationParams before,
                  GenerationParams after, std::string shot)
      : ParamsCommand(panel, std::move(before), std::move(after),
                      QCoreApplication::translate("dc::ui::PromptShotLink", "Load shot %1")
                          .arg(QString::fromStdString(shot))),
        link_(link),
        timeline_(timeline),
        shot_(std::move(shot)) {}
  int id() const override { return -1; }  // never merges with panel edits
  void undo() override {
    timeline_->clearSelection();
    ParamsCommand::undo();
  }
  void redo() override {
    ParamsCommand::redo();
    if (!first_) link_->relink(shot_);
    first_ = false;
  }

 private:
  PromptShotLink* link_;
  TimelineModel* timeline_;
  std::string shot_;
  bool first_ = true;  // pushed after the link was made
};

}  // namespace

GenerationParams params_showing_shot(const project::Project& project, const project::Shot& shot, int keyframe,
                                     const GenerationParams& panel, const QString& project_file) {
  const GenerationParams from = params_from_shot(project, shot, project_file);
  GenerationParams p = panel;
  if (canonical_path(panel.model_folder) != canonical_path(from.model_folder)) p.model_folder = from.model_folder;
  p.prompt = keyframe >= 0 ? QString::fromStdString(shot.keyframes.at(keyframe).prompt) : from.prompt;
  p.negative_prompt = from.negative_prompt;
  if (!shot.negative_prompt.empty()) p.true_cfg_scale = from.true_cfg_scale;
  p.guidance = from.guidance;
  p.steps = from.steps;
  p.sampler = from.sampler;
  p.schedule = from.schedule;
  p.width = from.width;
  p.height = from.height;
  p.seed = from.seed;
  // The panel's list stays (with its disabled rows) while the same LoRAs take part.
  if (!same_enabled_loras(panel.loras, from.loras)) p.loras = from.loras;
  return p;
}

ShotDraft shot_with_params(const project::Project& project, const project::Shot& shot, int keyframe,
                           const GenerationParams& params, const QString& project_file) {
  // shot_from_params knows how the panel's values are stored (model ids, true CFG only with a negative prompt).
  const ShotDraft made = shot_from_params(project, params, project_file);
  ShotDraft out{shot, made.new_model};
  project::Shot& s = out.shot;
  s.model = made.shot.model;
  (keyframe >= 0 ? s.keyframes.at(keyframe).prompt : s.prompt) = made.shot.prompt;
  s.negative_prompt = made.shot.negative_prompt;
  s.true_cfg_scale = made.shot.true_cfg_scale;
  s.seed = made.shot.seed;
  s.steps = made.shot.steps;
  s.sampler = made.shot.sampler;
  s.schedule = made.shot.schedule;
  s.guidance = made.shot.guidance;
  s.width = made.shot.width;
  s.height = made.shot.height;
  s.loras = with_shot_spelling(shot.loras, made.shot.loras, project_file);
  return out;
}

PromptShotLink::PromptShotLink(PromptPanel* panel, TimelineModel* timeline, ProjectDocument* doc, QUndoStack* undo,
                               QObject* parent)
    : QObject(parent), panel_(panel), timeline_(timeline), doc_(doc), undo_(undo) {
  connect(timeline_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) { onCurrentChanged(current); });
  connect(timeline_, &QAbstractItemModel::modelReset, this, [this] { unlink(); });
  connect(doc_, &ProjectDocument::shotChanged, this, &PromptShotLink::onShotChanged);
  connect(undo_, &QUndoStack::indexChanged, this, &PromptShotLink::onUndoIndexChanged);
}

int PromptShotLink::linkedShot() const {
  if (!link_.isValid()) return -1;
  return link_.parent().isValid() ? link_.parent().row() : link_.row();
}

int PromptShotLink::linkedKeyframe() const { return link_.isValid() && link_.parent().isValid() ? link_.row() : -1; }

QString PromptShotLink::description() const {
  const int row = linkedShot();
  if (row < 0) return {};
  const project::Shot& s = doc_->project().shots[row];
  const int k = linkedKeyframe();
  if (k < 0) return tr("Editing shot %1").arg(QString::fromStdString(s.id));
  return tr("Editing shot %1, keyframe at frame %2").arg(QString::fromStdString(s.id)).arg(s.keyframes[k].frame);
}

void PromptShotLink::onCurrentChanged(const QModelIndex& current) {
  const bool was_linked = link_.isValid();
  // A pause-pending edit belongs to what the panel showed until now.
  panel_->commitPendingEdits();
  link_ = current;
  if (!link_.isValid()) {
    Q_EMIT linkChanged();
    return;
  }
  const project::Shot& shot = doc_->project().shots[linkedShot()];
  const GenerationParams before = panel_->params();
  const ShotDraft as_shown = shot_with_params(doc_->project(), shot, linkedKeyframe(), before, doc_->filePath());
  const bool panel_differs = as_shown.new_model || as_shown.shot != shot;
  showLinkedShot();
  panel_->setSeedLocked(true);  // the shot's seed is part of the shot
  if (!was_linked && panel_differs && record_load_) {
    undo_->push(new LoadShotCommand(this, timeline_, panel_, before, panel_->params(), shot.id));
  }
  Q_EMIT linkChanged();
}

void PromptShotLink::relink(const std::string& id) {
  const auto& shots = doc_->project().shots;
  for (int r = 0; r < static_cast<int>(shots.size()); ++r) {
    if (shots[r].id != id) continue;
    record_load_ = false;
    timeline_->selectShot(r);
    record_load_ = true;
  }
}

void PromptShotLink::showLinkedShot() {
  const int row = linkedShot();
  if (row < 0) return;
  const GenerationParams shown = params_showing_shot(doc_->project(), doc_->project().shots[row], linkedKeyframe(),
                                                     panel_->params(), doc_->filePath());
  if (shown != panel_->params()) panel_->setParams(shown);  // unchanged values leave the cursor where it is
  shown_ = panel_->params();
}

void PromptShotLink::onShotChanged(int row) {
  if (row == linkedShot()) {
    showLinkedShot();
    Q_EMIT linkChanged();  // a keyframe's frame may read differently
  }
}

void PromptShotLink::onUndoIndexChanged() {
  if (link_.isValid() && panel_->params() != shown_) unlink();
}

void PromptShotLink::unlink() {
  if (timeline_->selectionModel()->currentIndex().isValid()) {
    timeline_->clearSelection();  // onCurrentChanged follows
  } else {
    link_ = QPersistentModelIndex();
    Q_EMIT linkChanged();
  }
}

bool PromptShotLink::applyPanelEdit(const GenerationParams& before, const GenerationParams& after) {
  const int row = linkedShot();
  if (row < 0) return false;
  const project::Project& p = doc_->project();
  const int k = linkedKeyframe();
  ShotDraft draft = shot_with_params(p, p.shots[row], k, after, doc_->filePath());
  if (!draft.new_model && draft.shot == p.shots[row]) {  // e.g. the batch size: not the shot's
    shown_ = after;
    return true;
  }
  std::vector<project::Shot> shots = p.shots;
  shots[row] = draft.shot;
  if (const Status ok = doc_->checkEditShots(shots, draft.new_model); !ok) {
    Q_EMIT notice(tr("%1 no longer follows the prompt panel: %2")
                      .arg(QString::fromStdString(p.shots[row].id), QString::fromStdString(ok.error().message())));
    unlink();
    return false;
  }
  const QString what = describe_change(before, after);
  const QString id = QString::fromStdString(p.shots[row].id);
  const QString text = k >= 0 ? tr("%1 of %2, keyframe at frame %3").arg(what, id).arg(p.shots[row].keyframes[k].frame)
                              : tr("%1 of %2").arg(what, id);
  shown_ = after;
  undo_->push(new EditShotsCommand(doc_, text, p.shots, std::move(shots), std::move(draft.new_model), /*merge=*/true));
  return true;
}

}  // namespace dc::ui
