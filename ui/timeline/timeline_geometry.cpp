#include "ui/timeline/timeline_geometry.h"

#include <algorithm>
#include <cmath>

#include "ui/timeline/timeline_edits.h"

namespace dc::ui {

int TimelineGeometry::trackAt(double y) const {
  return static_cast<int>(std::floor((y - kRulerHeight + scroll_y) / kTrackHeight));
}

QRectF TimelineGeometry::clipRect(const project::Shot& shot) const {
  const double left = xOf(shot.timeline.start);
  const double right = xOf(timeline::shot_end(shot));
  const double top = laneTop(shot.timeline.track) + kClipInset;
  return {left, top, std::max(1.0, right - left), static_cast<double>(kTrackHeight - 2 * kClipInset)};
}

QRectF TimelineGeometry::keyframeLaneRect(const project::Shot& shot) const {
  if (shot.type != project::ShotType::kVideo) return {};
  const QRectF clip = clipRect(shot);
  return {clip.left(), clip.bottom() - kKeyframeLane, clip.width(), static_cast<double>(kKeyframeLane)};
}

QPointF TimelineGeometry::keyframeCenter(const project::Shot& shot, const project::PromptKeyframe& keyframe) const {
  return {xOf(timeline::frame_time(shot, keyframe.frame)), keyframeLaneRect(shot).center().y()};
}

TimelineHit hit_test(const TimelineGeometry& g, const std::vector<project::Shot>& shots, QPointF p) {
  using Kind = TimelineHit::Kind;
  if (p.y() < TimelineGeometry::kRulerHeight) return {p.x() < TimelineGeometry::kHeaderWidth ? Kind::kNone : Kind::kRuler};
  if (p.x() < TimelineGeometry::kHeaderWidth) return {Kind::kHeader};
  for (int row = 0; row < static_cast<int>(shots.size()); ++row) {
    const project::Shot& s = shots[row];
    if (!g.keyframeLaneRect(s).adjusted(0, -2, 0, 2).contains(p)) continue;
    for (int k = 0; k < static_cast<int>(s.keyframes.size()); ++k) {
      const QPointF c = g.keyframeCenter(s, s.keyframes[k]);
      if (std::abs(c.x() - p.x()) <= TimelineGeometry::kKeyframeRadius + 1) return {Kind::kKeyframe, row, k};
    }
  }
  for (int row = 0; row < static_cast<int>(shots.size()); ++row) {
    const QRectF clip = g.clipRect(shots[row]);
    if (!clip.adjusted(0, 0, 3, 0).contains(p)) continue;
    // A narrow clip keeps two thirds of itself for moving.
    const double zone = std::min<double>(TimelineGeometry::kTrimZone, clip.width() / 3);
    const bool near_end = p.x() >= clip.right() - zone;
    if (near_end && timeline::is_trimmable(shots[row])) return {Kind::kTrimEdge, row};
    if (clip.contains(p)) return {Kind::kClip, row};
  }
  return {};
}

}  // namespace dc::ui
