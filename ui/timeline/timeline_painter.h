// Painting the timeline: ruler with time labels, track lanes with their names,
// shot clips (thumbnail or colour by type, id, prompt, size or frames), a video
// clip's keyframe diamonds and trim grip, the playhead, and during a drag the
// edit's result with the dragged clip's old place outlined.
#pragma once

#include <QImage>
#include <QString>
#include <functional>
#include <optional>
#include <vector>

#include "core/project/project.h"
#include "ui/timeline/timeline_geometry.h"

class QPainter;

namespace dc::ui {

struct TimelinePaintState {
  const std::vector<project::Shot>* shots = nullptr;  // the project's, or a drag's preview
  std::string selected_shot;         // id; empty: none
  int selected_keyframe = -1;        // of the selected shot
  std::string hovered_shot;          // id under the mouse (trim grips show)
  double playhead = 0;
  int lanes = 1;                     // lanes drawn (tracks in use, and one to drop onto)
  std::optional<QRectF> ghost;       // where the dragged clip was
  std::optional<double> snap_time;   // a snapped edge, drawn as a guide
  QString empty_text;                // shown when there are no shots
  std::function<QImage(const project::Shot&, int height)> thumbnail;  // may return null
};

void paint_timeline(QPainter& painter, const QRect& area, const TimelineGeometry& g, const TimelinePaintState& state);

// "0:05", "1:30", "0:02.5": ruler labels and the panel's time read-out.
QString format_timeline_time(double seconds, bool tenths);

}  // namespace dc::ui
