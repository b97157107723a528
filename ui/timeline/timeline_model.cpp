#include "ui/timeline/timeline_model.h"

#include <QFileInfo>
#include <QImageReader>
#include <QItemSelectionModel>
#include <QUndoStack>
#include <algorithm>

#include "core/project/project_file.h"
#include "ui/project/project_commands.h"
#include "ui/project/project_document.h"
#include "ui/timeline/timeline_edits.h"

namespace dc::ui {
namespace {

std::vector<int> keyframe_frames(const project::Shot& shot) {
  std::vector<int> frames;
  for (const project::PromptKeyframe& k : shot.keyframes) frames.push_back(k.frame);
  return frames;
}

// The first position where two frame lists differ (the shorter one's size when one extends the other).
int first_difference(const std::vector<int>& a, const std::vector<int>& b) {
  const auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return static_cast<int>(ia - a.begin());
}

}  // namespace

TimelineModel::TimelineModel(ProjectDocument* doc, QUndoStack* undo, QObject* parent)
    : QAbstractItemModel(parent), doc_(doc), undo_(undo), selection_(new QItemSelectionModel(this, this)) {
  for (int r = 0; r < static_cast<int>(shots().size()); ++r) rows_.push_back(makeRow(r));
  connect(doc_, &ProjectDocument::shotAboutToBeInserted, this, [this](int row) { beginInsertRows({}, row, row); });
  connect(doc_, &ProjectDocument::shotInserted, this, [this](int row) {
    rows_.insert(rows_.begin() + row, makeRow(row));
    endInsertRows();
  });
  connect(doc_, &ProjectDocument::shotAboutToBeRemoved, this, [this](int row) {
    // Nothing stays selected, rather than the neighbour Qt would pick: selecting loads a shot.
    if (currentShot() == row) clearSelection();
    beginRemoveRows({}, row, row);
  });
  connect(doc_, &ProjectDocument::shotRemoved, this, [this](int row) {
    rows_.erase(rows_.begin() + row);
    endRemoveRows();
  });
  connect(doc_, &ProjectDocument::shotAboutToBeMoved, this,
          [this](int from, int to) { beginMoveRows({}, from, from, {}, to > from ? to + 1 : to); });
  connect(doc_, &ProjectDocument::shotMoved, this, [this](int from, int to) {
    Row moved = std::move(rows_[from]);
    rows_.erase(rows_.begin() + from);
    rows_.insert(rows_.begin() + to, std::move(moved));
    endMoveRows();
  });
  connect(doc_, &ProjectDocument::shotChanged, this, &TimelineModel::onShotChanged);
  connect(doc_, &ProjectDocument::projectAboutToReset, this, [this] { beginResetModel(); });
  connect(doc_, &ProjectDocument::projectReset, this, [this] {
    rows_.clear();
    for (int r = 0; r < static_cast<int>(shots().size()); ++r) rows_.push_back(makeRow(r));
    thumbnails_.clear();
    endResetModel();
    setPlayhead(0);
  });
}

TimelineModel::Row TimelineModel::makeRow(int row) { return {next_key_++, keyframe_frames(shots()[row])}; }

int TimelineModel::rowOfKey(quintptr key) const {
  for (size_t r = 0; r < rows_.size(); ++r)
    if (rows_[r].key == key) return static_cast<int>(r);
  return -1;
}

// A shot's content changed (already in the document): its keyframe rows follow,
// as one insertion or removal when that is what happened, so the current keyframe survives.
void TimelineModel::onShotChanged(int row) {
  std::vector<int>& known = rows_[row].keyframe_frames;
  const std::vector<int> now = keyframe_frames(shots()[row]);
  const QModelIndex parent = shotIndex(row);
  const int old_count = static_cast<int>(known.size());
  const int new_count = static_cast<int>(now.size());
  auto remove = [&](int first, int last) {
    const QModelIndex current = selection_->currentIndex();
    if (current.parent() == parent && current.row() >= first && current.row() <= last)
      selection_->setCurrentIndex(parent, QItemSelectionModel::ClearAndSelect);  // to the shot, not a neighbour
    beginRemoveRows(parent, first, last);
    known.erase(known.begin() + first, known.begin() + last + 1);
    endRemoveRows();
  };
  auto insert = [&](int first, int last) {
    beginInsertRows(parent, first, last);
    known.insert(known.begin() + first, now.begin() + first, now.begin() + last + 1);
    endInsertRows();
  };
  if (new_count == old_count + 1) {
    const int at = first_difference(known, now);
    insert(at, at);
  } else if (new_count + 1 == old_count) {
    const int at = first_difference(now, known);
    remove(at, at);
  } else if (new_count != old_count) {
    if (old_count > 0) remove(0, old_count - 1);
    if (new_count > 0) insert(0, new_count - 1);
  }
  known = now;
  if (new_count > 0) Q_EMIT dataChanged(index(0, 0, parent), index(new_count - 1, 0, parent));
  Q_EMIT dataChanged(parent, parent);
}

QModelIndex TimelineModel::index(int row, int column, const QModelIndex& parent) const {
  if (column != 0 || row < 0) return {};
  if (!parent.isValid()) return row < static_cast<int>(rows_.size()) ? createIndex(row, 0, quintptr(0)) : QModelIndex();
  if (parent.internalId() != 0 || parent.row() >= static_cast<int>(rows_.size())) return {};
  const Row& r = rows_[parent.row()];
  return row < static_cast<int>(r.keyframe_frames.size()) ? createIndex(row, 0, r.key) : QModelIndex();
}

QModelIndex TimelineModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == 0) return {};
  const int row = rowOfKey(child.internalId());
  return row < 0 ? QModelIndex() : createIndex(row, 0, quintptr(0));
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(rows_.size());
  if (parent.internalId() != 0 || parent.row() >= static_cast<int>(rows_.size())) return 0;
  return static_cast<int>(rows_[parent.row()].keyframe_frames.size());
}

int TimelineModel::columnCount(const QModelIndex&) const { return 1; }

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const bool is_keyframe = index.internalId() != 0;
  const int row = is_keyframe ? rowOfKey(index.internalId()) : index.row();
  if (row < 0 || row >= static_cast<int>(shots().size())) return {};
  const project::Shot& s = shots()[row];
  if (is_keyframe) {
    if (index.row() >= static_cast<int>(s.keyframes.size())) return {};  // mid-update
    const project::PromptKeyframe& k = s.keyframes[index.row()];
    switch (role) {
      case Qt::DisplayRole: return tr("frame %1").arg(k.frame);
      case Qt::ToolTipRole:
      case kPromptRole: return QString::fromStdString(k.prompt);
      case kIdRole: return QString::fromStdString(s.id);
      case kFrameRole: return k.frame;
      case kTimeRole: return timeline::frame_time(s, k.frame);
      default: return {};
    }
  }
  switch (role) {
    case Qt::DisplayRole:
    case kIdRole: return QString::fromStdString(s.id);
    case Qt::ToolTipRole:
    case kPromptRole: return QString::fromStdString(s.prompt);
    case kIsVideoRole: return s.type == project::ShotType::kVideo;
    case kStartRole: return s.timeline.start;
    case kDurationRole: return s.timeline.duration;
    case kTrackRole: return s.timeline.track;
    case kFramesRole: return s.frames;
    case kFpsRole: return s.fps;
    default: return {};
  }
}

QHash<int, QByteArray> TimelineModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
  names.insert({{kIdRole, "id"}, {kIsVideoRole, "isVideo"}, {kStartRole, "start"}, {kDurationRole, "duration"},
                {kTrackRole, "track"}, {kFramesRole, "frames"}, {kFpsRole, "fps"}, {kPromptRole, "prompt"},
                {kFrameRole, "frame"}, {kTimeRole, "time"}});
  return names;
}

const std::vector<project::Shot>& TimelineModel::shots() const { return doc_->project().shots; }

int TimelineModel::trackCount() const {
  int tracks = 1;
  for (const project::Shot& s : shots()) tracks = std::max(tracks, s.timeline.track + 1);
  return tracks;
}

double TimelineModel::endTime() const {
  double end = 0;
  for (const project::Shot& s : shots()) end = std::max(end, timeline::shot_end(s));
  return end;
}

QModelIndex TimelineModel::shotIndex(int row) const { return index(row, 0); }
QModelIndex TimelineModel::keyframeIndex(int row, int k) const { return index(k, 0, shotIndex(row)); }

void TimelineModel::setPlayhead(double seconds) {
  seconds = std::max(0.0, seconds);
  if (seconds == playhead_) return;
  playhead_ = seconds;
  Q_EMIT playheadChanged(seconds);
}

int TimelineModel::currentShot() const {
  const QModelIndex current = selection_->currentIndex();
  if (!current.isValid()) return -1;
  return current.internalId() == 0 ? current.row() : current.parent().row();
}

int TimelineModel::currentKeyframe() const {
  const QModelIndex current = selection_->currentIndex();
  return current.isValid() && current.internalId() != 0 ? current.row() : -1;
}

void TimelineModel::selectShot(int row) {
  selection_->setCurrentIndex(shotIndex(row), QItemSelectionModel::ClearAndSelect);
}

void TimelineModel::selectKeyframe(int row, int k) {
  selection_->setCurrentIndex(keyframeIndex(row, k), QItemSelectionModel::ClearAndSelect);
}

void TimelineModel::clearSelection() { selection_->setCurrentIndex({}, QItemSelectionModel::Clear); }

QString TimelineModel::shotName(int row) const { return QString::fromStdString(shots()[row].id); }

Status TimelineModel::push(const QString& text, std::vector<project::Shot> after, bool merge) {
  if (after == shots()) return ok_status();
  DC_TRY_STATUS(doc_->checkEditShots(after));
  undo_->push(new EditShotsCommand(doc_, text, shots(), std::move(after), std::nullopt, merge));
  return ok_status();
}

Status TimelineModel::moveShot(int row, double start, int track) {
  if (row < 0 || row >= static_cast<int>(shots().size())) return Error::invalid_argument("no shot to move");
  return push(tr("Move %1").arg(shotName(row)), timeline::move_shot(shots(), row, start, track));
}

Status TimelineModel::trimShot(int row, double duration) {
  if (row < 0 || row >= static_cast<int>(shots().size())) return Error::invalid_argument("no shot to trim");
  if (!timeline::is_trimmable(shots()[row])) {
    return Error::invalid_argument("\"" + shots()[row].id + "\" is an image shot: its length on the timeline is fixed");
  }
  std::vector<project::Shot> after = timeline::trim_shot(shots(), row, duration);
  const auto trimmed = std::find_if(after.begin(), after.end(), [&](const auto& s) { return s.id == shots()[row].id; });
  return push(tr("Trim %1 to %2 frames").arg(shotName(row)).arg(trimmed->frames), std::move(after));
}

Status TimelineModel::nudgeShot(int row, double delta) {
  if (row < 0 || row >= static_cast<int>(shots().size())) return Error::invalid_argument("no shot to nudge");
  return push(tr("Nudge %1").arg(shotName(row)), timeline::nudge_shot(shots(), row, delta), /*merge=*/true);
}

Status TimelineModel::addKeyframeAtPlayhead() {
  int row = currentShot();
  if (row < 0) {
    for (int r = 0; r < static_cast<int>(shots().size()) && row < 0; ++r) {
      const project::Shot& s = shots()[r];
      if (s.type == project::ShotType::kVideo && s.timeline.start <= playhead_ && playhead_ < timeline::shot_end(s)) row = r;
    }
  }
  if (row < 0) return Error::invalid_argument("select a video shot, or put the playhead over one, to add a keyframe");
  const project::Shot& s = shots()[row];
  if (s.type != project::ShotType::kVideo) return addKeyframe(row, 0);  // says why not
  return addKeyframe(row, timeline::frame_at(s, playhead_));
}

Status TimelineModel::addKeyframe(int row, int frame) {
  DC_TRY(std::vector<project::Shot> after, timeline::add_keyframe(shots(), row, frame));
  const QString id = shotName(row);
  DC_TRY_STATUS(push(tr("Add keyframe to %1 at frame %2").arg(id).arg(frame), std::move(after)));
  selectKeyframe(row, timeline::keyframe_index(shots()[row], frame));
  return ok_status();
}

Status TimelineModel::moveKeyframe(int row, int k, int frame) {
  if (row < 0 || row >= static_cast<int>(shots().size())) return Error::invalid_argument("no shot");
  return push(tr("Move keyframe of %1 to frame %2").arg(shotName(row)).arg(frame),
              timeline::move_keyframe(shots(), row, k, frame));
}

Status TimelineModel::nudgeKeyframe(int row, int k, int frames) {
  if (row < 0 || row >= static_cast<int>(shots().size())) return Error::invalid_argument("no shot");
  const auto& keys = shots()[row].keyframes;
  if (k < 0 || k >= static_cast<int>(keys.size())) return Error::invalid_argument("no keyframe");
  return push(tr("Nudge keyframe of %1").arg(shotName(row)),
              timeline::move_keyframe(shots(), row, k, keys[k].frame + frames), /*merge=*/true);
}

Status TimelineModel::removeKeyframe(int row, int k) {
  if (row < 0 || row >= static_cast<int>(shots().size())) return Error::invalid_argument("no shot");
  const auto& keys = shots()[row].keyframes;
  if (k < 0 || k >= static_cast<int>(keys.size())) return Error::invalid_argument("no keyframe");
  return push(tr("Remove keyframe of %1 at frame %2").arg(shotName(row)).arg(keys[k].frame),
              timeline::remove_keyframe(shots(), row, k));
}

Status TimelineModel::removeCurrent() {
  const int row = currentShot();
  if (row < 0) return Error::invalid_argument("nothing selected to remove");
  if (currentKeyframe() >= 0) return removeKeyframe(row, currentKeyframe());
  undo_->push(new RemoveShotCommand(doc_, row));
  return ok_status();
}

Result<ShotDraft> TimelineModel::draftShot(const GenerationParams& params) const {
  if (params.model_folder.isEmpty()) {
    return Error::invalid_argument("the image names no model folder: a shot names the model that renders it");
  }
  return shot_from_params(doc_->project(), params, doc_->filePath());
}

Status TimelineModel::addShot(ShotDraft draft, double start, int track) {
  const std::string id = draft.shot.id;
  std::vector<project::Shot> after = timeline::insert_shot(shots(), draft.shot, start, track);
  const auto placed = std::find_if(after.begin(), after.end(), [&](const auto& s) { return s.id == id; });
  const int index = static_cast<int>(placed - after.begin());
  draft.shot = *placed;
  DC_TRY_STATUS(doc_->checkInsertShot(index, draft));
  // Everything is checked before anything is pushed, so neither half of the step can fail.
  project::Project edited = doc_->project();
  if (draft.new_model) edited.models.push_back(*draft.new_model);
  edited.shots = after;
  if (const Result<std::string> saved = project::serialize_project(edited); !saved) return saved.error();
  // The shot goes in where it ends up, then the shots it lands on move out of its way.
  std::vector<project::Shot> inserted = shots();
  inserted.insert(inserted.begin() + index, draft.shot);
  undo_->beginMacro(tr("Add %1 from the gallery").arg(QString::fromStdString(id)));
  undo_->push(new AddShotCommand(doc_, index, std::move(draft)));
  if (after != inserted) undo_->push(new EditShotsCommand(doc_, tr("Make room"), std::move(inserted), std::move(after)));
  undo_->endMacro();
  const auto now = std::find_if(shots().begin(), shots().end(), [&](const auto& s) { return s.id == id; });
  selectShot(static_cast<int>(now - shots().begin()));
  return ok_status();
}

QString TimelineModel::outputFile(int row) const {
  if (row < 0 || row >= static_cast<int>(shots().size()) || doc_->filePath().isEmpty()) return {};
  const project::Project& p = doc_->project();
  if (p.output.image_format != "png" && p.output.image_format != "tif") return {};  // what Qt reads
  const std::string file = project::resolve_project_path(doc_->filePath().toStdString(), p.output.folder).string() +
                           "/" + shots()[row].id + "." + p.output.image_format;
  return QString::fromStdString(file);
}

QImage TimelineModel::thumbnail(int row, int height) const {
  const QString path = outputFile(row);
  if (path.isEmpty()) return {};
  const QFileInfo info(path);
  if (!info.isFile()) return {};
  CachedThumbnail& cached = thumbnails_[path];
  if (cached.modified != info.lastModified() || (!cached.image.isNull() && cached.image.height() != height)) {
    QImageReader reader(path);
    const QSize size = reader.size();
    if (size.isValid() && size.height() > 0) reader.setScaledSize(size.scaled(QSize(height * 16, height), Qt::KeepAspectRatio));
    cached = {info.lastModified(), reader.read()};
  }
  return cached.image;
}

}  // namespace dc::ui
