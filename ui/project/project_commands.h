// Undoable project edits. Each applies through ProjectDocument, which checks and
// changes nothing on failure; a command whose apply fails marks itself obsolete,
// so QUndoStack deletes it instead of keeping a step that did nothing. Callers
// check first (ProjectDocument::checkInsertShot) to tell the user why.
// Adding a shot whose model is new adds the model too; undo removes both.
#pragma once

#include <QUndoCommand>

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

}  // namespace dc::ui
