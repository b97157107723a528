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

EditShotsCommand::EditShotsCommand(ProjectDocument* doc, const QString& text, std::vector<project::Shot> before,
                                   std::vector<project::Shot> after, std::optional<project::ModelRef> new_model,
                                   bool merge)
    : QUndoCommand(text),
      doc_(doc),
      before_(std::move(before)),
      after_(std::move(after)),
      new_model_(std::move(new_model)),
      merge_(merge) {}

void EditShotsCommand::redo() {
  if (new_model_ && !doc_->addModel(*new_model_)) {
    setObsolete(true);
    return;
  }
  if (!doc_->editShots(after_)) {
    if (new_model_) (void)doc_->removeModel(new_model_->id);
    setObsolete(true);
  }
}

void EditShotsCommand::undo() {
  (void)doc_->editShots(before_);
  if (new_model_) (void)doc_->removeModel(new_model_->id);
}

bool EditShotsCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const EditShotsCommand*>(other);  // same id(): an EditShotsCommand
  if (next->doc_ != doc_ || next->text() != text() || next->new_model_ || next->before_ != after_) return false;
  after_ = next->after_;
  if (after_ == before_ && !new_model_) setObsolete(true);  // back where it started: no step left
  return true;
}

}  // namespace dc::ui
