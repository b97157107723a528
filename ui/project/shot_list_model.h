// The open project's shots as a list model (id, prompt, size, seed), following
// the ProjectDocument's edits; it backs the Project dock's list. The timeline's
// model (ui/timeline) shows the same shots with tracks, placement and keyframes.
#pragma once

#include <QAbstractListModel>

namespace dc::ui {

class ProjectDocument;

class ShotListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  explicit ShotListModel(ProjectDocument* doc, QObject* parent = nullptr);
  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

 private:
  ProjectDocument* doc_;
};

}  // namespace dc::ui
