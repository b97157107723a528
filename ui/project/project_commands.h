// Undoable project edits. Each applies through ProjectDocument, which checks and
// changes nothing on failure; a command whose apply fails marks itself obsolete,
// so QUndoStack deletes it instead of keeping a step that did nothing. Callers
// check first (ProjectDocument::checkInsertShot) to tell the user why.
// Adding a shot whose model is new adds the model too; undo removes both.
#pragma once

#include <QUndoCommand>
#include <optional>
#include <vector>

#include "ui/project/shot_params.h"

namespace dc::ui {

class ProjectDocument;

class AddShotCommand : public QUndoCommand {
 public:
  AddShotCommand(ProjectDocument* doc, int index, ShotDraft draft);
  void redo() override;
  void undo() override;

 private:
  ProjectDocument* doc_;
  int index_;
  ShotDraft draft_;
};

class RemoveShotCommand : public QUndoCommand {
 public:
  RemoveShotCommand(ProjectDocument* doc, int index);
  void redo() override;
  void undo() override;

 private:
  ProjectDocument* doc_;
  int index_;
  ShotDraft removed_;  // new_model never set: the model stays in the project
};

// An edit that keeps the project's shots but changes their content or order
// (timeline moves, trims, keyframes; prompt panel edits of a selected shot):
// the whole shot list before and after, applied by ProjectDocument::editShots.
// `new_model`: a model the edited shots start to use, added first, removed on
// undo. With `merge`, a following mergeable edit of the same text that starts
// where this one ends joins it (arrow-key nudges, typing in pauses).
class EditShotsCommand : public QUndoCommand {
 public:
  EditShotsCommand(ProjectDocument* doc, const QString& text, std::vector<project::Shot> before,
                   std::vector<project::Shot> after, std::optional<project::ModelRef> new_model = {},
                   bool merge = false);
  void redo() override;
  void undo() override;
  int id() const override { return merge_ ? kId : -1; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  static constexpr int kId = 0x5345;  // 'SE'

  ProjectDocument* doc_;
  std::vector<project::Shot> before_;
  std::vector<project::Shot> after_;
  std::optional<project::ModelRef> new_model_;
  bool merge_;
};

}  // namespace dc::ui
