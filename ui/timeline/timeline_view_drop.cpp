// The timeline view's drop target: a gallery image dropped on a track becomes an
// image shot with its parameters (TimelineModel::draftShot / addShot); while the
// drag hovers, the shots as the drop would leave them are painted, the new clip
// highlighted. Data that is not a DC Studio image's parameters is refused.
#include <QDragEnterEvent>
#include <QDragLeaveEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QMimeData>
#include <algorithm>

#include "ui/common/generation_params_mime.h"
#include "ui/timeline/timeline_edits.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_view.h"

namespace dc::ui {

std::pair<double, int> TimelineView::dropPlacement(QPointF pos, double duration) const {
  double start = std::max(0.0, geometry_.timeAt(pos.x()));
  if (const auto snap = snapTarget(start, /*skip_row=*/-1)) {
    start = *snap;
  } else if (const auto end_snap = snapTarget(start + duration, -1)) {
    start = std::max(0.0, *end_snap - duration);
  }
  const int track = std::clamp(geometry_.trackAt(pos.y()), 0, std::min(lanes() - 1, timeline::kMaxTrack));
  return {start, track};
}

bool TimelineView::updateDrop(const QMimeData* mime, QPointF pos) {
  if (!has_generation_params(mime)) return false;
  drag_ = {};
  drag_.kind = Drag::kDrop;
  // Nothing painted when it cannot be added: the drop says why.
  QString why;
  const std::optional<GenerationParams> params = params_from_mime(mime, &why);
  const Result<ShotDraft> draft = params ? model_->draftShot(*params) : Result<ShotDraft>(ShotDraft{});
  if (params && draft) {
    const auto [start, track] = dropPlacement(pos, draft->shot.timeline.duration);
    drag_.dropped_id = draft->shot.id;
    drag_.start = start;
    drag_.track = track;
    if (const auto snap = snapTarget(start, -1)) drag_.snap_time = snap;
    drag_.preview = timeline::insert_shot(model_->shots(), draft->shot, start, track);
  }
  update();
  return true;
}

void TimelineView::dragEnterEvent(QDragEnterEvent* event) {
  if (!updateDrop(event->mimeData(), event->position())) return event->ignore();
  event->setDropAction(Qt::CopyAction);
  event->accept();
}

void TimelineView::dragMoveEvent(QDragMoveEvent* event) {
  if (!updateDrop(event->mimeData(), event->position())) return event->ignore();
  event->setDropAction(Qt::CopyAction);
  event->accept();
}

void TimelineView::dragLeaveEvent(QDragLeaveEvent* event) {
  cancelDrag();
  event->accept();
}

void TimelineView::dropEvent(QDropEvent* event) {
  cancelDrag();
  if (!has_generation_params(event->mimeData())) return event->ignore();
  QString why;
  const std::optional<GenerationParams> params = params_from_mime(event->mimeData(), &why);
  if (!params) {
    Q_EMIT notice(why);
    return event->ignore();
  }
  Result<ShotDraft> draft = model_->draftShot(*params);
  if (!draft) {
    report(draft.error());
    return event->ignore();
  }
  const auto [start, track] = dropPlacement(event->position(), draft->shot.timeline.duration);
  const Status added = model_->addShot(std::move(*draft), start, track);
  report(added);
  if (!added) return event->ignore();
  event->setDropAction(Qt::CopyAction);
  event->accept();
  setFocus(Qt::OtherFocusReason);
}

}  // namespace dc::ui
