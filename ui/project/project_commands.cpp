#include "ui/project/project_commands.h"

#include <QCoreApplication>

#include "ui/project/project_document.h"

namespace dc::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("dc::ui::ProjectCommands", text); }

}  // namespace

AddShotCommand::AddShotCommand(ProjectDocument* doc, int index, ShotDraft draft)
    : QUndoCommand(tr("Add shot %1").arg(QString::fromStdString(draft.shot.id))),
      doc_(doc),
      index_(index),
      draft_(std::move(draft)) {}

void AddShotCommand::redo() {
  if (!doc_->insertShot(index_, draft_)) setObsolete(true);
}

void AddShotCommand::undo() {
  (void)doc_->removeShot(index_);
  if (draft_.new_model) (void)doc_->removeModel(draft_.new_model->id);
}

RemoveShotCommand::RemoveShotCommand(ProjectDocument* doc, int index)
    : QUndoCommand(tr("Remove shot")), doc_(doc), index_(index) {}

void RemoveShotCommand::redo() {
  Result<project::Shot> shot = doc_->removeShot(index_);
  if (!shot) {
    setObsolete(true);
    return;
  }
  removed_.shot = std::move(*shot);
  setText(tr("Remove shot %1").arg(QString::fromStdString(removed_.shot.id)));
}

void RemoveShotCommand::undo() { (void)doc_->insertShot(index_, removed_); }

}  // namespace dc::ui
