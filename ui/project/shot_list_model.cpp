#include "ui/project/shot_list_model.h"

#include "ui/project/project_document.h"

namespace dc::ui {

ShotListModel::ShotListModel(ProjectDocument* doc, QObject* parent) : QAbstractListModel(parent), doc_(doc) {
  connect(doc_, &ProjectDocument::shotAboutToBeInserted, this, [this](int row) { beginInsertRows({}, row, row); });
  connect(doc_, &ProjectDocument::shotInserted, this, [this] { endInsertRows(); });
  connect(doc_, &ProjectDocument::shotAboutToBeRemoved, this, [this](int row) { beginRemoveRows({}, row, row); });
  connect(doc_, &ProjectDocument::shotRemoved, this, [this] { endRemoveRows(); });
  connect(doc_, &ProjectDocument::shotAboutToBeMoved, this,
          [this](int from, int to) { beginMoveRows({}, from, from, {}, to > from ? to + 1 : to); });
  connect(doc_, &ProjectDocument::shotMoved, this, [this] { endMoveRows(); });
  connect(doc_, &ProjectDocument::shotChanged, this, [this](int row) { Q_EMIT dataChanged(index(row), index(row)); });
  connect(doc_, &ProjectDocument::projectAboutToReset, this, [this] { beginResetModel(); });
  connect(doc_, &ProjectDocument::projectReset, this, [this] { endResetModel(); });
}

int ShotListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(doc_->project().shots.size());
}

QVariant ShotListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const project::Shot& s = doc_->project().shots[index.row()];
  switch (role) {
    case Qt::DisplayRole:
      return tr("%1 · %2\n%3×%4 · %5 steps · seed %6 · %7")
          .arg(QString::fromStdString(s.id), QString::fromStdString(s.prompt).simplified().left(80))
          .arg(s.width)
          .arg(s.height)
          .arg(s.steps)
          .arg(s.seed)
          .arg(QString::fromStdString(s.model));
    case Qt::ToolTipRole: return QString::fromStdString(s.prompt);
    default: return {};
  }
}

}  // namespace dc::ui
