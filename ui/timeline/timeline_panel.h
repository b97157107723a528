// The Timeline dock's content: a tool row (play / pause and loop, add a
// keyframe at the playhead, remove the selection, zoom out / fit / in, the
// playhead's time and what is selected), the painted TimelineView, and its
// horizontal scroll bar. It owns the TimelinePlayback its buttons and Space drive.
#pragma once

#include <QWidget>

class QLabel;
class QScrollBar;
class QToolButton;

namespace dc::ui {

class TimelineModel;
class TimelinePlayback;
class TimelineView;

class TimelinePanel : public QWidget {
  Q_OBJECT

 public:
  explicit TimelinePanel(TimelineModel* model, QWidget* parent = nullptr);
  TimelineView* view() const { return view_; }
  TimelinePlayback* playback() const { return playback_; }
  QScrollBar* scrollBar() const { return scroll_; }

 Q_SIGNALS:
  void notice(const QString& text);  // why an edit did not happen

 private:
  void syncScrollBar();
  void updateReadout();

  TimelineModel* model_;
  TimelineView* view_;
  TimelinePlayback* playback_;
  QScrollBar* scroll_;
  QToolButton* play_;
  QToolButton* loop_;
  QToolButton* add_keyframe_;
  QToolButton* remove_;
  QLabel* readout_;
};

}  // namespace dc::ui
