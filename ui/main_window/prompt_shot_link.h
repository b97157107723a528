// Keeps the prompt panel and the timeline's current shot in step. Selecting a
// shot (in the timeline or the Project list) shows it in the prompt panel; the
// panel's edits then become undoable edits of that shot, and the prompt field
// edits the selected keyframe's prompt when a keyframe is selected. With nothing
// selected the panel is free, as without a project.
//
// Linking from a free panel that showed other values is one undo step ("Load
// shot ..."): undoing it unselects the shot and brings those values back. A
// shot changed by undo/redo while linked is shown again; values put into the
// panel from elsewhere (undoing an older panel edit, reopening a gallery
// image's parameters) end the link, so a later edit never writes them into the
// shot unasked.
//
//   PromptShotLink link(panel, timeline_model, doc, undo_stack);
//   connect(panel, &PromptPanel::paramsCommitted, [&](auto before, auto after) {
//     if (!link.applyPanelEdit(before, after)) undo_stack->push(new ParamsCommand(...));
//   });
#pragma once

#include <QObject>
#include <QPersistentModelIndex>
#include <QString>

#include "core/project/project.h"
#include "ui/common/generation_params.h"
#include "ui/project/shot_params.h"

class QUndoStack;

namespace dc::ui {

class ProjectDocument;
class PromptPanel;
class TimelineModel;

// The panel's parameters showing `shot` (keyframe >= 0: that keyframe's prompt as
// the prompt). What a shot does not hold stays as in `panel`: the batch size, the
// panel's spelling of the same model folder, a true CFG scale without a negative prompt,
// the panel's LoRA list (disabled rows included) while its enabled LoRAs are the shot's.
GenerationParams params_showing_shot(const project::Project& project, const project::Shot& shot, int keyframe,
                                     const GenerationParams& panel, const QString& project_file);
// `shot` with `params` applied (the prompt into keyframe `keyframe` when >= 0);
// new_model set when params' model folder is not in the project yet.
ShotDraft shot_with_params(const project::Project& project, const project::Shot& shot, int keyframe,
                           const GenerationParams& params, const QString& project_file);

class PromptShotLink : public QObject {
  Q_OBJECT

 public:
  PromptShotLink(PromptPanel* panel, TimelineModel* timeline, ProjectDocument* doc, QUndoStack* undo,
                 QObject* parent = nullptr);

  bool isLinked() const { return link_.isValid(); }
  int linkedShot() const;      // row, or -1
  int linkedKeyframe() const;  // or -1
  QString description() const;  // "Editing shot pan, keyframe at frame 24" (empty when free)

  // The panel committed an edit. True when it became an edit of the linked shot
  // (or touched nothing a shot holds); false when the panel is free, and the
  // caller records it as a panel edit.
  bool applyPanelEdit(const GenerationParams& before, const GenerationParams& after);

  // Selects shot `id` without recording a "Load shot" step (redo of that step).
  void relink(const std::string& id);

 Q_SIGNALS:
  void linkChanged();
  void notice(const QString& text);  // why an edit did not reach the shot

 private:
  void onCurrentChanged(const QModelIndex& current);
  void onShotChanged(int row);
  void onUndoIndexChanged();
  void showLinkedShot();
  void unlink();

  PromptPanel* panel_;
  TimelineModel* timeline_;
  ProjectDocument* doc_;
  QUndoStack* undo_;
  QPersistentModelIndex link_;  // the timeline's current shot or keyframe the panel edits
  GenerationParams shown_;      // what the panel showed when the link last set or read it
  bool record_load_ = true;
};

}  // namespace dc::ui
