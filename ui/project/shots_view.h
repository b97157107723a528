// The Project panel: the open project's shots and buttons to add the current
// parameters as a shot, load a shot into the prompt panel, remove one, or queue
// them all. Requests go out as signals; the main window applies them.
#pragma once

#include <QWidget>

class QListView;
class QToolButton;

namespace dc::ui {

class ShotListModel;

class ShotsView : public QWidget {
  Q_OBJECT

 public:
  explicit ShotsView(ShotListModel* model, QWidget* parent = nullptr);
  QListView* list() const { return list_; }
  int currentRow() const;

 Q_SIGNALS:
  void addRequested();
  void loadRequested(int row);
  void removeRequested(int row);
  void queueAllRequested();

 private:
  void updateButtons();

  ShotListModel* model_;
  QListView* list_;
  QToolButton* add_;
  QToolButton* load_;
  QToolButton* remove_;
  QToolButton* queue_all_;
};

}  // namespace dc::ui
