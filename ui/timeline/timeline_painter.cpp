#include "ui/timeline/timeline_painter.h"

#include <QCoreApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

#include "ui/timeline/timeline_edits.h"

namespace dc::ui {
namespace {

using project::Shot;

// A dark timeline, as editing applications have it: clips read as blocks of colour.
const QColor kBackground(0x1f, 0x1f, 0x23);
const QColor kRuler(0x2c, 0x2c, 0x32);
const QColor kRulerText(0xc8, 0xc8, 0xd0);
const QColor kTick(0x80, 0x80, 0x8a);
const QColor kLaneEven(0x27, 0x27, 0x2c);
const QColor kLaneOdd(0x2b, 0x2b, 0x31);
const QColor kHeader(0x33, 0x33, 0x3a);
const QColor kImageClip(0x3b, 0x6e, 0xa8);
const QColor kVideoClip(0x74, 0x4d, 0xa6);
const QColor kSelection(0xff, 0xc8, 0x3d);
const QColor kKeyframe(0xf2, 0xc1, 0x4e);
const QColor kPlayhead(0xff, 0x4f, 0x4f);

QString tr(const char* text) { return QCoreApplication::translate("dc::ui::TimelinePainter", text); }

// The ruler's labelled step (seconds) and how many ticks divide it, for about 80 px between labels.
std::pair<double, int> ruler_step(double pixels_per_second) {
  static constexpr std::pair<double, int> kSteps[] = {
      {0.1, 5}, {0.2, 4}, {0.5, 5}, {1, 5},   {2, 4},   {5, 5},    {10, 5},   {15, 3},
      {30, 6},  {60, 6},  {120, 4}, {300, 5}, {600, 6}, {1800, 6}, {3600, 6}, {7200, 4}};
  for (const auto& step : kSteps)
    if (step.first * pixels_per_second >= 80) return step;
  return kSteps[std::size(kSteps) - 1];
}

void paint_ruler(QPainter& p, const QRect& area, const TimelineGeometry& g) {
  const QRectF ruler(area.left(), 0, area.width(), TimelineGeometry::kRulerHeight);
  p.fillRect(ruler, kRuler);
  const auto [step, divisions] = ruler_step(g.pixels_per_second);
  const double minor = step / divisions;
  const double first = std::floor(std::max(0.0, g.timeAt(TimelineGeometry::kHeaderWidth)) / step) * step;
  const double last = g.timeAt(area.right());
  p.setFont(QFont(p.font().family(), 8));
  for (double major = first; major <= last + step; major += step) {
    for (int i = 0; i < divisions; ++i) {
      const double t = major + i * minor;
      const double x = g.xOf(t);
      if (x < TimelineGeometry::kHeaderWidth) continue;
      const int height = i == 0 ? 12 : 5;
      p.setPen(kTick);
      p.drawLine(QPointF(x, ruler.bottom() - height), QPointF(x, ruler.bottom()));
      if (i == 0) {
        p.setPen(kRulerText);
        p.drawText(QPointF(x + 3, 11), format_timeline_time(t, step < 1));
      }
    }
  }
}

void paint_lanes(QPainter& p, const QRect& area, const TimelineGeometry& g, int lanes) {
  p.fillRect(area, kBackground);
  for (int track = 0; track < lanes; ++track) {
    const QRectF lane(area.left(), g.laneTop(track), area.width(), TimelineGeometry::kTrackHeight);
    p.fillRect(lane, track % 2 ? kLaneOdd : kLaneEven);
  }
}

void paint_headers(QPainter& p, const TimelineGeometry& g, int lanes, int height) {
  p.fillRect(QRectF(0, 0, TimelineGeometry::kHeaderWidth, height), kHeader);
  p.setPen(kRulerText);
  p.setFont(QFont(p.font().family(), 8));
  for (int track = 0; track < lanes; ++track) {
    const QRectF label(6, g.laneTop(track), TimelineGeometry::kHeaderWidth - 8, TimelineGeometry::kTrackHeight);
    p.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, tr("Track %1").arg(track + 1));
  }
  p.setPen(kBackground);
  p.drawLine(QPointF(TimelineGeometry::kHeaderWidth - 0.5, 0), QPointF(TimelineGeometry::kHeaderWidth - 0.5, height));
}

QPolygonF diamond(QPointF c, double r) {
  return QPolygonF({QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()), QPointF(c.x(), c.y() + r),
                    QPointF(c.x() - r, c.y())});
}

QString clip_details(const Shot& s) {
  if (s.type == project::ShotType::kVideo) {
    return tr("%1×%2 · %3 f @ %4 fps · %5 s").arg(s.width).arg(s.height).arg(s.frames).arg(s.fps).arg(s.timeline.duration, 0, 'f', 2);
  }
  return tr("%1×%2 · seed %3").arg(s.width).arg(s.height).arg(s.seed);
}

void paint_clip(QPainter& p, const TimelineGeometry& g, const TimelinePaintState& state, const Shot& s) {
  const QRectF clip = g.clipRect(s);
  const bool selected = s.id == state.selected_shot;
  const bool video = s.type == project::ShotType::kVideo;
  const QColor base = video ? kVideoClip : kImageClip;
  QPainterPath outline;
  outline.addRoundedRect(clip.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
  p.fillPath(outline, selected ? base.lighter(125) : base);

  p.save();
  p.setClipPath(outline);
  double text_left = clip.left() + 6;
  const double body_height = clip.height() - (video ? TimelineGeometry::kKeyframeLane : 0);
  if (state.thumbnail && clip.width() > 48) {
    const int height = static_cast<int>(body_height) - 6;
    const QImage thumb = state.thumbnail(s, height);
    if (!thumb.isNull()) {
      p.drawImage(QPointF(clip.left() + 3, clip.top() + 3), thumb);
      text_left += thumb.width() + 2;
    }
  }
  const QRectF text(text_left, clip.top() + 3, clip.right() - text_left - 6, body_height - 4);
  QFont bold = p.font();
  bold.setPointSize(9);
  bold.setBold(true);
  QFont small = p.font();
  small.setPointSize(8);
  p.setPen(Qt::white);
  p.setFont(bold);
  const int line = QFontMetrics(bold).height();
  p.drawText(text, Qt::AlignLeft | Qt::AlignTop,
             QFontMetrics(bold).elidedText(QString::fromStdString(s.id), Qt::ElideRight, static_cast<int>(text.width())));
  p.setFont(small);
  p.setPen(QColor(255, 255, 255, 210));
  const QFontMetrics small_metrics(small);
  const QString prompt = QString::fromStdString(s.prompt).simplified();
  p.drawText(text.adjusted(0, line, 0, 0), Qt::AlignLeft | Qt::AlignTop,
             small_metrics.elidedText(prompt, Qt::ElideRight, static_cast<int>(text.width())));
  if (text.height() > line + 2 * small_metrics.height()) {
    p.setPen(QColor(255, 255, 255, 150));
    p.drawText(text.adjusted(0, line + small_metrics.height(), 0, 0), Qt::AlignLeft | Qt::AlignTop,
               small_metrics.elidedText(clip_details(s), Qt::ElideRight, static_cast<int>(text.width())));
  }

  if (video) {
    const QRectF lane = g.keyframeLaneRect(s);
    p.fillRect(lane, QColor(0, 0, 0, 70));
    p.setRenderHint(QPainter::Antialiasing, true);
    for (int k = 0; k < static_cast<int>(s.keyframes.size()); ++k) {
      const bool current = selected && k == state.selected_keyframe;
      p.setPen(QPen(current ? kSelection : QColor(0x40, 0x30, 0x10), current ? 2 : 1));
      p.setBrush(current ? QColor(Qt::white) : kKeyframe);
      p.drawPolygon(diamond(g.keyframeCenter(s, s.keyframes[k]), TimelineGeometry::kKeyframeRadius - 1));
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    if (selected || s.id == state.hovered_shot) {  // the trim grip at the end
      const QRectF grip(clip.right() - 5, clip.top() + 6, 3, body_height - 12);
      p.fillRect(grip, QColor(255, 255, 255, 150));
    }
  }
  p.restore();

  p.setRenderHint(QPainter::Antialiasing, true);
  p.setBrush(Qt::NoBrush);
  p.setPen(selected ? QPen(kSelection, 2) : QPen(base.darker(160), 1));
  p.drawPath(outline);
  p.setRenderHint(QPainter::Antialiasing, false);
}

void paint_playhead(QPainter& p, const QRect& area, const TimelineGeometry& g, double seconds) {
  const double x = std::round(g.xOf(seconds)) + 0.5;
  if (x < TimelineGeometry::kHeaderWidth || x > area.right()) return;
  p.setPen(QPen(kPlayhead, 1));
  p.drawLine(QPointF(x, TimelineGeometry::kRulerHeight - 8), QPointF(x, area.bottom()));
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(Qt::NoPen);
  p.setBrush(kPlayhead);
  const double top = TimelineGeometry::kRulerHeight - 14;
  p.drawPolygon(QPolygonF({QPointF(x - 6, top), QPointF(x + 6, top), QPointF(x + 6, top + 6), QPointF(x, top + 12),
                           QPointF(x - 6, top + 6)}));
  p.setRenderHint(QPainter::Antialiasing, false);
}

}  // namespace

QString format_timeline_time(double seconds, bool tenths) {
  seconds = std::max(0.0, seconds);
  if (tenths) {
    const long long hundredths = std::llround(seconds * 100);
    return QStringLiteral("%1:%2.%3")
        .arg(hundredths / 6000)
        .arg(hundredths / 100 % 60, 2, 10, QLatin1Char('0'))
        .arg(hundredths % 100, 2, 10, QLatin1Char('0'));
  }
  const long long whole = std::llround(seconds);
  return QStringLiteral("%1:%2").arg(whole / 60).arg(whole % 60, 2, 10, QLatin1Char('0'));
}

void paint_timeline(QPainter& p, const QRect& area, const TimelineGeometry& g, const TimelinePaintState& state) {
  paint_lanes(p, area, g, state.lanes);
  p.save();
  p.setClipRect(QRect(TimelineGeometry::kHeaderWidth, TimelineGeometry::kRulerHeight, area.width(), area.height()));
  if (state.shots) {
    for (const Shot& s : *state.shots) paint_clip(p, g, state, s);
  }
  if (state.ghost) {
    p.setPen(QPen(kSelection, 1, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(state.ghost->adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
  }
  if (state.snap_time) {
    p.setPen(QPen(kSelection, 1, Qt::DotLine));
    const double x = std::round(g.xOf(*state.snap_time)) + 0.5;
    p.drawLine(QPointF(x, TimelineGeometry::kRulerHeight), QPointF(x, area.bottom()));
  }
  p.restore();
  if (state.shots && state.shots->empty() && !state.empty_text.isEmpty()) {
    p.setPen(kRulerText);
    p.drawText(area.adjusted(TimelineGeometry::kHeaderWidth, TimelineGeometry::kRulerHeight, 0, 0), Qt::AlignCenter,
               state.empty_text);
  }
  paint_ruler(p, area, g);
  paint_headers(p, g, state.lanes, area.height());
  p.save();
  p.setClipRect(QRect(TimelineGeometry::kHeaderWidth, 0, area.width(), area.height()));
  paint_playhead(p, area, g, state.playhead);
  p.restore();
}

}  // namespace dc::ui
