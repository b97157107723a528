#include "ui/queue/render_queue_model.h"

#include <QCoreApplication>

namespace dc::ui {
namespace {

QString state_text(const QueueEntry& e) {
  auto tr = [](const char* text) { return QCoreApplication::translate("dc::ui::RenderQueueModel", text); };
  switch (e.state) {
    case QueueState::kQueued: return tr("Queued");
    case QueueState::kRunning:
      return e.phase.isEmpty() ? tr("Running") : tr("Running: %1").arg(e.phase);
    case QueueState::kDone: return tr("Done");
    case QueueState::kFailed: return tr("Failed: %1").arg(e.error);
    case QueueState::kCancelled: return tr("Cancelled");
  }
  return {};
}

}  // namespace

RenderQueueModel::RenderQueueModel(QObject* parent) : QAbstractListModel(parent) {}

int RenderQueueModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(entries_.size());
}

QVariant RenderQueueModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= entries_.size()) return {};
  const QueueEntry& e = entries_[index.row()];
  switch (role) {
    case Qt::DisplayRole: return QStringLiteral("%1\n%2").arg(summary_line(e.params), state_text(e));
    case Qt::ToolTipRole: return e.error.isEmpty() ? e.params.prompt : e.error;
    case kStateRole: return static_cast<int>(e.state);
    case kErrorRole: return e.error;
    case kProgressRole: return e.progress;
    case kIdRole: return e.id;
    default: return {};
  }
}

void RenderQueueModel::setEntries(QList<QueueEntry> entries) {
  beginResetModel();
  entries_ = std::move(entries);
  endResetModel();
  Q_EMIT changed();
}

int RenderQueueModel::rowOf(const QUuid& id) const {
  for (int i = 0; i < entries_.size(); ++i)
    if (entries_[i].id == id) return i;
  return -1;
}

const QueueEntry* RenderQueueModel::find(const QUuid& id) const {
  const int row = rowOf(id);
  return row < 0 ? nullptr : &entries_[row];
}

std::optional<int> RenderQueueModel::nextQueuedRow() const {
  for (int i = 0; i < entries_.size(); ++i)
    if (entries_[i].state == QueueState::kQueued) return i;
  return std::nullopt;
}

QUuid RenderQueueModel::enqueue(const GenerationParams& params, const QString& shot_output) {
  QueueEntry entry;
  entry.params = params;
  entry.shot_output = shot_output;
  insert(static_cast<int>(entries_.size()), entry);
  return entry.id;
}

void RenderQueueModel::insert(int row, const QueueEntry& entry) {
  row = std::clamp(row, 0, static_cast<int>(entries_.size()));
  beginInsertRows({}, row, row);
  entries_.insert(row, entry);
  endInsertRows();
  Q_EMIT changed();
}

std::optional<QueueEntry> RenderQueueModel::take(int row) {
  if (row < 0 || row >= entries_.size()) return std::nullopt;
  beginRemoveRows({}, row, row);
  QueueEntry entry = entries_.takeAt(row);
  endRemoveRows();
  Q_EMIT changed();
  return entry;
}

bool RenderQueueModel::move(int from, int to) {
  const int n = static_cast<int>(entries_.size());
  if (from < 0 || from >= n || to < 0 || to >= n || from == to) return false;
  // beginMoveRows names the row *before which* the item goes, in pre-move numbering.
  if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to)) return false;
  entries_.move(from, to);
  endMoveRows();
  Q_EMIT changed();
  return true;
}

void RenderQueueModel::setState(const QUuid& id, QueueState state, const QString& error, const QStringList& outputs) {
  const int row = rowOf(id);
  if (row < 0) return;
  QueueEntry& e = entries_[row];
  e.state = state;
  e.error = error;
  e.outputs = outputs;
  e.progress = state == QueueState::kDone ? 1.0 : 0.0;
  e.phase.clear();
  emitRowChanged(row);
  Q_EMIT changed();
}

void RenderQueueModel::setProgress(const QUuid& id, double progress, const QString& phase) {
  const int row = rowOf(id);
  if (row < 0) return;
  entries_[row].progress = progress;
  entries_[row].phase = phase;
  emitRowChanged(row);  // live only: not worth a save
}

bool RenderQueueModel::retry(int row) {
  if (row < 0 || row >= entries_.size()) return false;
  const QueueState s = entries_[row].state;
  if (s != QueueState::kFailed && s != QueueState::kCancelled) return false;
  setState(entries_[row].id, QueueState::kQueued);
  return true;
}

void RenderQueueModel::emitRowChanged(int row) {
  const QModelIndex i = index(row);
  Q_EMIT dataChanged(i, i);
}

}  // namespace dc::ui
