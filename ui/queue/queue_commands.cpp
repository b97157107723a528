#include "ui/queue/queue_commands.h"

#include <QCoreApplication>

#include "ui/queue/render_queue_model.h"

namespace dc::ui {

MoveQueueEntryCommand::MoveQueueEntryCommand(RenderQueueModel* model, int from, int to)
    : QUndoCommand(QCoreApplication::translate("dc::ui::QueueCommands", "Reorder queue")),
      model_(model),
      from_(from),
      to_(to) {}

void MoveQueueEntryCommand::undo() { model_->move(to_, from_); }
void MoveQueueEntryCommand::redo() { model_->move(from_, to_); }

RemoveQueueEntryCommand::RemoveQueueEntryCommand(RenderQueueModel* model, int row)
    : QUndoCommand(QCoreApplication::translate("dc::ui::QueueCommands", "Remove from queue")),
      model_(model),
      row_(row),
      entry_(model->entries().value(row)) {}

bool RemoveQueueEntryCommand::allowed(const RenderQueueModel& model, int row) {
  return row >= 0 && row < model.rowCount() && model.entries()[row].state != QueueState::kRunning;
}

void RemoveQueueEntryCommand::undo() { model_->insert(row_, entry_); }

void RemoveQueueEntryCommand::redo() {
  if (std::optional<QueueEntry> taken = model_->take(row_)) entry_ = std::move(*taken);
}

}  // namespace dc::ui
