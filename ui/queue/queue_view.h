// The render queue panel: the list of jobs and buttons to cancel, reorder, retry
// and remove them. It only asks (signals); the main window applies the requests
// (reorder and remove as undoable commands).
#pragma once

#include <QWidget>

class QListView;
class QToolButton;

namespace dc::ui {

class RenderQueueModel;

class QueueView : public QWidget {
  Q_OBJECT

 public:
  explicit QueueView(RenderQueueModel* model, QWidget* parent = nullptr);
  QListView* list() const { return list_; }
  int currentRow() const;

 Q_SIGNALS:
  void cancelRequested(int row);
  void moveRequested(int from, int to);
  void retryRequested(int row);
  void removeRequested(int row);

 private:
  void updateButtons();

  RenderQueueModel* model_;
  QListView* list_;
  QToolButton* cancel_;
  QToolButton* up_;
  QToolButton* down_;
  QToolButton* retry_;
  QToolButton* remove_;
};

}  // namespace dc::ui
