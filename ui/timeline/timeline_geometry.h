// Where things are on the timeline view: seconds <-> x at the current zoom and
// scroll, tracks <-> lanes, the rectangles of clips and keyframe diamonds, and
// what a point hits. Shared by the painter and the view's mouse handling so
// they can never disagree.
//
//   TimelineGeometry g{.pixels_per_second = 40, .scroll_x = 0};
//   const QRectF clip = g.clipRect(shot);
//   TimelineHit hit = hit_test(g, shots, event->position());
#pragma once

#include <QPointF>
#include <QRectF>
#include <vector>

#include "core/project/project.h"

namespace dc::ui {

struct TimelineGeometry {
  static constexpr int kRulerHeight = 28;
  static constexpr int kHeaderWidth = 64;   // track names, left of time 0
  static constexpr int kTrackHeight = 72;
  static constexpr int kClipInset = 3;      // gap above and below a clip in its lane
  static constexpr int kKeyframeLane = 16;  // band at the bottom of a video clip holding its keyframes
  static constexpr int kKeyframeRadius = 6; // half the diamond's diagonal, and how near a click must be
  static constexpr int kTrimZone = 7;       // px inside a video clip's right edge that grab its end

  double pixels_per_second = 40;
  double scroll_x = 0;  // px of time scrolled out on the left
  double scroll_y = 0;  // px of lanes scrolled out at the top

  double xOf(double seconds) const { return kHeaderWidth + seconds * pixels_per_second - scroll_x; }
  double timeAt(double x) const { return (x - kHeaderWidth + scroll_x) / pixels_per_second; }
  double laneTop(int track) const { return kRulerHeight + track * kTrackHeight - scroll_y; }
  int trackAt(double y) const;  // may be negative or past the last track
  QRectF clipRect(const project::Shot& shot) const;
  QRectF keyframeLaneRect(const project::Shot& shot) const;  // empty for image shots
  QPointF keyframeCenter(const project::Shot& shot, const project::PromptKeyframe& keyframe) const;
};

struct TimelineHit {
  enum class Kind { kNone, kRuler, kHeader, kClip, kTrimEdge, kKeyframe };
  Kind kind = Kind::kNone;
  int row = -1;       // the shot, for kClip, kTrimEdge and kKeyframe
  int keyframe = -1;  // for kKeyframe
};

// Keyframes win over the trim edge, which wins over the clip body.
TimelineHit hit_test(const TimelineGeometry& g, const std::vector<project::Shot>& shots, QPointF point);

}  // namespace dc::ui
