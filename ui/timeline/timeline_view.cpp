#include "ui/timeline/timeline_view.h"

#include <QApplication>
#include <QHelpEvent>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "ui/timeline/timeline_edits.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_painter.h"

namespace dc::ui {
namespace {

constexpr double kImageNudgeSeconds = 0.1;
constexpr double kPlayheadStepSeconds = 0.1;
constexpr double kZoomStep = 1.25;     // per wheel notch or +/- key
constexpr double kTailSeconds = 10;    // room to drop shots after the last one

}  // namespace

TimelineView::TimelineView(TimelineModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  setObjectName(QStringLiteral("timelineView"));
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setAcceptDrops(true);  // gallery images (timeline_view_drop.cpp)
  auto repaint = [this] { update(); };
  for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
    connect(model_, signal, this, repaint);
  connect(model_, &QAbstractItemModel::rowsMoved, this, repaint);
  connect(model_, &QAbstractItemModel::modelReset, this, repaint);
  connect(model_, &QAbstractItemModel::dataChanged, this, repaint);
  connect(model_, &QAbstractItemModel::modelReset, this, [this] { setScrollX(0); });
  connect(model_, &TimelineModel::playheadChanged, this, repaint);
  connect(model_->selectionModel(), &QItemSelectionModel::currentChanged, this, repaint);
}

QSize TimelineView::sizeHint() const {
  return {900, TimelineGeometry::kRulerHeight + 3 * TimelineGeometry::kTrackHeight};
}

QSize TimelineView::minimumSizeHint() const {
  return {200, TimelineGeometry::kRulerHeight + TimelineGeometry::kTrackHeight};
}

int TimelineView::lanes() const { return model_->trackCount() + 1; }

int TimelineView::pageWidth() const { return std::max(1, width() - TimelineGeometry::kHeaderWidth); }

int TimelineView::maxScrollX() const {
  const double content = (model_->endTime() + kTailSeconds) * geometry_.pixels_per_second;
  return std::max(0, static_cast<int>(std::ceil(content)) - pageWidth());
}

void TimelineView::setScrollX(double px) {
  const double clamped = std::clamp(px, 0.0, static_cast<double>(maxScrollX()));
  if (clamped == geometry_.scroll_x) return;
  geometry_.scroll_x = clamped;
  update();
  Q_EMIT viewChanged();
}

void TimelineView::setPixelsPerSecond(double pixels_per_second, double anchor) {
  pixels_per_second = std::clamp(pixels_per_second, kMinPixelsPerSecond, kMaxPixelsPerSecond);
  if (anchor < 0) anchor = TimelineGeometry::kHeaderWidth + pageWidth() / 2.0;
  const double anchored_time = geometry_.timeAt(anchor);
  geometry_.pixels_per_second = pixels_per_second;
  geometry_.scroll_x = 0;
  const double scroll = geometry_.xOf(anchored_time) - anchor;
  geometry_.scroll_x = std::clamp(scroll, 0.0, static_cast<double>(maxScrollX()));
  update();
  Q_EMIT viewChanged();
}

void TimelineView::zoomBy(double factor, double anchor) { setPixelsPerSecond(pixelsPerSecond() * factor, anchor); }

void TimelineView::zoomToFit() {
  const double seconds = std::max(1.0, model_->endTime());
  geometry_.scroll_x = 0;
  setPixelsPerSecond(pageWidth() * 0.95 / seconds, TimelineGeometry::kHeaderWidth);
}

QRectF TimelineView::clipRect(int row) const { return geometry_.clipRect(model_->shots().at(row)); }

QPointF TimelineView::keyframePoint(int row, int k) const {
  const project::Shot& s = model_->shots().at(row);
  return geometry_.keyframeCenter(s, s.keyframes.at(k));
}

void TimelineView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  TimelinePaintState state;
  state.shots = drag_.preview ? &*drag_.preview : &model_->shots();
  const int row = model_->currentShot();
  if (row >= 0) state.selected_shot = model_->shots()[row].id;
  state.selected_keyframe = model_->currentKeyframe();
  if (drag_.kind == Drag::kKeyframe) state.selected_keyframe = drag_.keyframe;
  if (drag_.kind == Drag::kDrop) {
    state.selected_shot = drag_.dropped_id;
    state.selected_keyframe = -1;
  }
  state.hovered_shot = hovered_shot_;
  state.playhead = model_->playhead();
  state.lanes = lanes();
  if (drag_.kind == Drag::kMove && drag_.row >= 0) state.ghost = clipRect(drag_.row);
  state.snap_time = drag_.snap_time;
  state.empty_text = tr("No shots yet: set up the prompt panel and add it as a shot (Ctrl+D)");
  state.thumbnail = [this](const project::Shot& shot, int height) {
    const auto& shots = model_->shots();
    const auto it = std::find_if(shots.begin(), shots.end(), [&](const auto& s) { return s.id == shot.id; });
    return it == shots.end() ? QImage() : model_->thumbnail(static_cast<int>(it - shots.begin()), height);
  };
  paint_timeline(p, rect(), geometry_, state);
  if (hasFocus()) {
    p.setPen(QPen(palette().highlight().color(), 1));
    p.drawRect(rect().adjusted(0, 0, -1, -1));
  }
}

std::optional<double> TimelineView::snapTarget(double seconds, int skip_row) const {
  std::vector<double> targets = {0.0, model_->playhead()};
  const auto& shots = model_->shots();
  for (int r = 0; r < static_cast<int>(shots.size()); ++r) {
    if (r == skip_row) continue;
    targets.push_back(shots[r].timeline.start);
    targets.push_back(timeline::shot_end(shots[r]));
  }
  std::optional<double> best;
  double best_distance = kSnapPixels + 1;
  for (double t : targets) {
    const double distance = std::abs(t - seconds) * geometry_.pixels_per_second;
    if (distance <= kSnapPixels && distance < best_distance) {
      best = t;
      best_distance = distance;
    }
  }
  return best;
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  setFocus(Qt::MouseFocusReason);
  const QPointF pos = event->position();
  const TimelineHit hit = hit_test(geometry_, model_->shots(), pos);
  drag_ = {};
  drag_.press = pos;
  drag_.row = hit.row;
  switch (hit.kind) {
    case TimelineHit::Kind::kRuler:
      drag_.kind = Drag::kScrub;
      model_->setPlayhead(geometry_.timeAt(pos.x()));
      break;
    case TimelineHit::Kind::kKeyframe:
      model_->selectKeyframe(hit.row, hit.keyframe);
      drag_.kind = Drag::kKeyframePending;
      drag_.keyframe = hit.keyframe;
      break;
    case TimelineHit::Kind::kTrimEdge:
      model_->selectShot(hit.row);
      drag_.kind = Drag::kTrim;
      // The end follows the mouse from where it was grabbed: a click alone changes nothing.
      drag_.grab_offset = geometry_.timeAt(pos.x()) - timeline::shot_end(model_->shots()[hit.row]);
      break;
    case TimelineHit::Kind::kClip:
      model_->selectShot(hit.row);
      drag_.kind = Drag::kMovePending;
      drag_.grab_offset = geometry_.timeAt(pos.x()) - model_->shots()[hit.row].timeline.start;
      break;
    case TimelineHit::Kind::kHeader:
    case TimelineHit::Kind::kNone: model_->clearSelection(); break;
  }
  update();
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
  if (drag_.kind == Drag::kNone) {
    updateHover(event->position());
    return;
  }
  updateDrag(event->position());
}

void TimelineView::updateHover(QPointF pos) {
  const TimelineHit hit = hit_test(geometry_, model_->shots(), pos);
  const std::string hovered = hit.row >= 0 ? model_->shots()[hit.row].id : std::string();
  setCursor(hit.kind == TimelineHit::Kind::kTrimEdge || hit.kind == TimelineHit::Kind::kKeyframe ? Qt::SizeHorCursor
                                                                                                  : Qt::ArrowCursor);
  if (hovered != hovered_shot_) {
    hovered_shot_ = hovered;
    update();
  }
}

void TimelineView::updateDrag(QPointF pos) {
  const auto& shots = model_->shots();
  const double t = geometry_.timeAt(pos.x());
  const bool past_threshold = (pos - drag_.press).manhattanLength() >= QApplication::startDragDistance();
  if (drag_.kind == Drag::kMovePending && past_threshold) drag_.kind = Drag::kMove;
  if (drag_.kind == Drag::kKeyframePending && past_threshold) drag_.kind = Drag::kKeyframe;
  drag_.snap_time.reset();
  switch (drag_.kind) {
    case Drag::kScrub: model_->setPlayhead(t); return;
    case Drag::kMove: {
      const project::Shot& s = shots[drag_.row];
      double start = t - drag_.grab_offset;
      if (const auto snap = snapTarget(start, drag_.row)) {
        start = *snap;
        drag_.snap_time = snap;
      } else if (const auto end_snap = snapTarget(start + s.timeline.duration, drag_.row)) {
        start = *end_snap - s.timeline.duration;
        drag_.snap_time = end_snap;
      }
      drag_.start = std::max(0.0, start);
      drag_.track = std::clamp(geometry_.trackAt(pos.y()), 0, std::min(lanes() - 1, timeline::kMaxTrack));
      drag_.preview = timeline::move_shot(shots, drag_.row, drag_.start, drag_.track);
      break;
    }
    case Drag::kTrim: {
      const project::Shot& s = shots[drag_.row];
      double end = std::max(t - drag_.grab_offset, s.timeline.start + 1 / s.fps);
      if (const auto snap = snapTarget(end, drag_.row)) {
        end = *snap;
        drag_.snap_time = snap;
      }
      drag_.duration = end - s.timeline.start;
      drag_.preview = timeline::trim_shot(shots, drag_.row, drag_.duration);
      break;
    }
    case Drag::kKeyframe: {
      const project::Shot& s = shots[drag_.row];
      drag_.frame = timeline::frame_at(s, t);
      const int playhead_frame = timeline::frame_at(s, model_->playhead());
      if (std::abs(geometry_.xOf(model_->playhead()) - pos.x()) <= kSnapPixels) {
        drag_.frame = playhead_frame;
        drag_.snap_time = model_->playhead();
      }
      drag_.preview = timeline::move_keyframe(shots, drag_.row, drag_.keyframe, drag_.frame);
      break;
    }
    default: return;
  }
  update();
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
  finishDrag();
}

void TimelineView::finishDrag() {
  const DragState done = drag_;
  drag_ = {};
  switch (done.kind) {
    case Drag::kMove: report(model_->moveShot(done.row, done.start, done.track)); break;
    case Drag::kTrim:
      if (done.preview) report(model_->trimShot(done.row, done.duration));
      break;
    case Drag::kKeyframe:
      report(model_->moveKeyframe(done.row, done.keyframe, done.frame));
      break;
    default: break;
  }
  update();
}

void TimelineView::cancelDrag() {
  drag_ = {};
  update();
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event) {
  const QPointF pos = event->position();
  const TimelineHit hit = hit_test(geometry_, model_->shots(), pos);
  if (hit.kind != TimelineHit::Kind::kClip) return;
  const project::Shot& s = model_->shots()[hit.row];
  if (!geometry_.keyframeLaneRect(s).contains(pos)) return;
  report(model_->addKeyframe(hit.row, timeline::frame_at(s, geometry_.timeAt(pos.x()))));
}

void TimelineView::wheelEvent(QWheelEvent* event) {
  const QPoint delta = event->angleDelta();
  if (event->modifiers() & Qt::ControlModifier) {
    zoomBy(std::pow(kZoomStep, delta.y() / 120.0), event->position().x());
  } else {
    const bool lanes_overflow = TimelineGeometry::kRulerHeight + lanes() * TimelineGeometry::kTrackHeight > height();
    const int amount = delta.x() != 0 ? delta.x() : delta.y();
    if (lanes_overflow && delta.x() == 0 && !(event->modifiers() & Qt::ShiftModifier)) {
      const double max_y = TimelineGeometry::kRulerHeight + lanes() * TimelineGeometry::kTrackHeight - height();
      geometry_.scroll_y = std::clamp(geometry_.scroll_y - amount / 2.0, 0.0, std::max(0.0, max_y));
      update();
    } else {
      setScrollX(scrollX() - amount);
    }
  }
  event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
  const int row = model_->currentShot();
  const int keyframe = model_->currentKeyframe();
  const bool shift = event->modifiers() & Qt::ShiftModifier;
  const int direction = event->key() == Qt::Key_Left ? -1 : 1;
  switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
      if (keyframe >= 0) {
        report(model_->nudgeKeyframe(row, keyframe, direction * (shift ? 10 : 1)));
      } else if (row >= 0) {
        const project::Shot& s = model_->shots()[row];
        const double step = timeline::is_trimmable(s) ? 1 / s.fps : kImageNudgeSeconds;
        report(model_->nudgeShot(row, direction * step * (shift ? 10 : 1)));
      } else {
        model_->setPlayhead(model_->playhead() + direction * kPlayheadStepSeconds * (shift ? 10 : 1));
      }
      break;
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
      if (row >= 0) report(model_->removeCurrent());
      break;
    case Qt::Key_K: report(model_->addKeyframeAtPlayhead()); break;
    case Qt::Key_Space: Q_EMIT playToggleRequested(); break;
    case Qt::Key_Home: model_->setPlayhead(0); break;
    case Qt::Key_End: model_->setPlayhead(model_->endTime()); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(kZoomStep, geometry_.xOf(model_->playhead())); break;
    case Qt::Key_Minus: zoomBy(1 / kZoomStep, geometry_.xOf(model_->playhead())); break;
    case Qt::Key_Escape:
      if (drag_.kind != Drag::kNone) cancelDrag();
      break;
    default: QWidget::keyPressEvent(event); return;
  }
  event->accept();
}

bool TimelineView::event(QEvent* event) {
  if (event->type() == QEvent::ShortcutOverride) {
    // Keys the timeline uses itself while it has focus (Esc only during a drag: it cancels jobs otherwise).
    auto* key = static_cast<QKeyEvent*>(event);
    const bool drag_escape = key->key() == Qt::Key_Escape && drag_.kind != Drag::kNone;
    if (drag_escape || ((key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) && key->modifiers() == Qt::NoModifier)) {
      event->accept();
      return true;
    }
  }
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const TimelineHit hit = hit_test(geometry_, model_->shots(), help->pos());
    if (hit.row < 0) {
      QToolTip::hideText();
      event->ignore();
      return true;
    }
    const project::Shot& s = model_->shots()[hit.row];
    const QString text = hit.kind == TimelineHit::Kind::kKeyframe
                             ? tr("Keyframe at frame %1: %2").arg(s.keyframes[hit.keyframe].frame)
                                   .arg(QString::fromStdString(s.keyframes[hit.keyframe].prompt))
                             : tr("%1: %2").arg(QString::fromStdString(s.id), QString::fromStdString(s.prompt));
    QToolTip::showText(help->globalPos(), text, this);
    return true;
  }
  return QWidget::event(event);
}

void TimelineView::leaveEvent(QEvent* event) {
  if (!hovered_shot_.empty()) {
    hovered_shot_.clear();
    update();
  }
  QWidget::leaveEvent(event);
}

void TimelineView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  setScrollX(scrollX());
  Q_EMIT viewChanged();
}

void TimelineView::report(const Status& status) {
  if (!status) Q_EMIT notice(QString::fromStdString(status.error().message()));
}

}  // namespace dc::ui
