// Undoable edits of the render queue: moving a job and removing one. Both refuse
// (do nothing, and are not pushed) when the queue no longer allows them, e.g. a
// job that started running meanwhile cannot be removed.
#pragma once

#include <QUndoCommand>
#include <QUuid>

#include "ui/queue/queue_entry.h"

namespace dc::ui {

class RenderQueueModel;

class MoveQueueEntryCommand : public QUndoCommand {
 public:
  MoveQueueEntryCommand(RenderQueueModel* model, int from, int to);
  void undo() override;
  void redo() override;

 private:
  RenderQueueModel* model_;
  int from_;
  int to_;
};

class RemoveQueueEntryCommand : public QUndoCommand {
 public:
  RemoveQueueEntryCommand(RenderQueueModel* model, int row);
  void undo() override;
  void redo() override;
  // False when the row does not exist or its job is running: do not push it.
  static bool allowed(const RenderQueueModel& model, int row);

 private:
  RenderQueueModel* model_;
  int row_;
  QueueEntry entry_;
};

}  // namespace dc::ui
