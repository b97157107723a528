// The render queue as a list model: jobs in the order they will run, with their
// state, progress and result. Views (QueueView) and the runner (QueueRunner)
// share it; every structural change emits changed() so the queue can be saved.
//
//   model.enqueue(params);           // appended, kQueued
//   model.move(3, 0);                // run it next
//   model.setState(id, QueueState::kDone, {}, files);
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <optional>

#include "ui/queue/queue_entry.h"

namespace dc::ui {

class RenderQueueModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role { kStateRole = Qt::UserRole + 1, kErrorRole, kProgressRole, kIdRole };

  explicit RenderQueueModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  const QList<QueueEntry>& entries() const { return entries_; }
  void setEntries(QList<QueueEntry> entries);
  int rowOf(const QUuid& id) const;  // -1 when absent
  const QueueEntry* find(const QUuid& id) const;
  std::optional<int> nextQueuedRow() const;

  QUuid enqueue(const GenerationParams& params, const QString& shot_output = {});  // see QueueEntry
  void insert(int row, const QueueEntry& entry);
  std::optional<QueueEntry> take(int row);  // removes and returns it
  bool move(int from, int to);              // `to`: the row it ends up at
  void setState(const QUuid& id, QueueState state, const QString& error = {}, const QStringList& outputs = {});
  void setProgress(const QUuid& id, double progress, const QString& phase);
  bool retry(int row);  // failed or cancelled -> queued again, in place

 Q_SIGNALS:
  void changed();  // something queue.json stores changed

 private:
  void emitRowChanged(int row);
  QList<QueueEntry> entries_;
};

}  // namespace dc::ui
