// The timeline's painted view (the view half; TimelineModel holds the shots,
// the playhead and the current shot or keyframe, and makes every edit).
//
// Mouse: click or drag on the ruler moves the playhead; click a clip to select
// it (its parameters go to the prompt panel), drag it to move it in time or to
// another track (dropping it on another shot inserts it before or after that
// one and pushes the rest of the track right: that is how shots are reordered);
// drag a video clip's right edge to trim it (whole frames; image shots have a
// fixed length); click a keyframe diamond to select it (its prompt goes to the
// prompt panel), drag it to another frame; double-click a video clip's keyframe
// band to add a keyframe there. Edges snap to other clips' edges, the playhead
// and 0. Ctrl+wheel zooms around the mouse, the wheel scrolls (Shift+wheel:
// always in time).
// Keys: Left/Right nudge the selected keyframe by a frame or the selected shot
// by a frame (video) or 0.1 s (image), Shift for ten times that, or move the
// playhead when nothing is selected; Delete removes the selected keyframe or
// shot; K adds a keyframe at the playhead; Home/End move the playhead; Space
// plays or pauses (playToggleRequested: TimelinePlayback plays); +/- zoom; Esc
// cancels a drag.
// Drops: a gallery thumbnail (kGenerationParamsMimeType) dropped on a track
// becomes an image shot with that image's parameters, starting under the cursor
// (snapped like a moved clip; inside another shot it goes before or after it and
// pushes the track right), one undo step; the result is shown live while the
// drag hovers. Other data is refused. (timeline_view_drop.cpp)
#pragma once

#include <QWidget>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/project/project.h"
#include "ui/timeline/timeline_geometry.h"

class QMimeData;

namespace dc::ui {

class TimelineModel;

class TimelineView : public QWidget {
  Q_OBJECT

 public:
  static constexpr double kMinPixelsPerSecond = 2;
  static constexpr double kMaxPixelsPerSecond = 2000;
  static constexpr int kSnapPixels = 8;

  explicit TimelineView(TimelineModel* model, QWidget* parent = nullptr);

  TimelineModel* model() const { return model_; }
  const TimelineGeometry& geometry() const { return geometry_; }
  double pixelsPerSecond() const { return geometry_.pixels_per_second; }
  // Keeps the time under x = `anchor` where it is (the view's centre when negative).
  void setPixelsPerSecond(double pixels_per_second, double anchor = -1);
  void zoomBy(double factor, double anchor = -1);
  void zoomToFit();
  double scrollX() const { return geometry_.scroll_x; }
  void setScrollX(double px);  // clamped to the content
  int maxScrollX() const;
  int pageWidth() const;  // the width showing time

  bool isScrubbing() const { return drag_.kind == Drag::kScrub; }  // the ruler is being dragged

  // Where a shot's clip or a keyframe is drawn now (tests and tooltips).
  QRectF clipRect(int row) const;
  QPointF keyframePoint(int row, int k) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 Q_SIGNALS:
  void viewChanged();  // zoom or scroll: the panel's scroll bar follows
  void notice(const QString& text);  // why an edit did not happen
  void playToggleRequested();        // Space

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  bool event(QEvent* event) override;  // tooltips; Esc during a drag
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dragLeaveEvent(QDragLeaveEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  enum class Drag { kNone, kScrub, kMovePending, kMove, kTrim, kKeyframePending, kKeyframe, kDrop };

  // What a drag would do if released now; painted while it lasts.
  struct DragState {
    Drag kind = Drag::kNone;
    int row = -1;
    int keyframe = -1;
    QPointF press;
    double grab_offset = 0;  // seconds between the clip's start and the grab point
    double start = 0;        // kMove: proposed start and track
    int track = 0;
    double duration = 0;     // kTrim
    int frame = 0;           // kKeyframe
    std::optional<double> snap_time;
    std::optional<std::vector<project::Shot>> preview;
    std::string dropped_id;  // kDrop: the new shot, highlighted in the preview
  };

  void updateDrag(QPointF pos);
  void finishDrag();
  void cancelDrag();
  // A drop at `pos` of a new clip lasting `duration`: its start (snapped) and track.
  std::pair<double, int> dropPlacement(QPointF pos, double duration) const;
  // kDrop's preview for `mime` at `pos`; false when the data is not ours.
  bool updateDrop(const QMimeData* mime, QPointF pos);
  // `seconds` moved onto the nearest edge within kSnapPixels (clip edges except `skip_row`'s, playhead, 0).
  std::optional<double> snapTarget(double seconds, int skip_row) const;
  void report(const Status& status);
  int lanes() const;
  void updateHover(QPointF pos);

  TimelineModel* model_;
  TimelineGeometry geometry_;
  DragState drag_;
  std::string hovered_shot_;
};

}  // namespace dc::ui
