// The open project's shots as the timeline shows and edits them (the model half
// of the timeline's model/view split; TimelineView paints and interacts).
//
// A tree model: top-level rows are the shots in project order (placement, type,
// frames in roles), a video shot's children are its prompt keyframes. It also
// holds the playhead and the current shot or keyframe (a QItemSelectionModel the
// view and the main window share; it follows a shot through reorders). Every
// edit is one undoable command on the shared undo stack, going through the same
// ProjectDocument methods as the Project panel's (EditShotsCommand,
// RemoveShotCommand), computed by timeline_edits.h; an edit that would change
// nothing pushes nothing.
//
//   TimelineModel model(&doc, &undo);
//   model.selectShot(2);
//   model.setPlayhead(3.5);
//   if (Status s = model.addKeyframeAtPlayhead(); !s) statusBar()->showMessage(...);
#pragma once

#include <QAbstractItemModel>
#include <QDateTime>
#include <QHash>
#include <QImage>
#include <vector>

#include "core/base/result.h"
#include "core/project/project.h"
#include "ui/project/shot_params.h"

class QItemSelectionModel;
class QUndoStack;

namespace dc::ui {

class ProjectDocument;

class TimelineModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Role {
    kIdRole = Qt::UserRole + 1,  // shot id (shots and keyframes)
    kIsVideoRole,
    kStartRole,     // seconds
    kDurationRole,  // seconds
    kTrackRole,
    kFramesRole,    // video shots
    kFpsRole,       // video shots
    kPromptRole,    // a shot's prompt, or a keyframe's
    kFrameRole,     // keyframes: frame within the shot
    kTimeRole,      // keyframes: timeline seconds
  };

  TimelineModel(ProjectDocument* doc, QUndoStack* undo, QObject* parent = nullptr);

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

  const std::vector<project::Shot>& shots() const;
  int trackCount() const;  // tracks in use: the highest track + 1, at least 1
  double endTime() const;  // where the last shot ends, seconds
  QModelIndex shotIndex(int row) const;
  QModelIndex keyframeIndex(int row, int k) const;

  double playhead() const { return playhead_; }
  void setPlayhead(double seconds);  // clamped at 0

  QItemSelectionModel* selectionModel() const { return selection_; }
  int currentShot() const;      // its row, or -1
  int currentKeyframe() const;  // index in the current shot's keyframes, or -1
  void selectShot(int row);
  void selectKeyframe(int row, int k);
  void clearSelection();

  Status moveShot(int row, double start, int track);
  Status trimShot(int row, double duration);
  Status nudgeShot(int row, double delta);  // consecutive nudges of a shot are one undo step
  // To the current video shot, or else the video shot under the playhead; selects the new keyframe.
  Status addKeyframeAtPlayhead();
  Status addKeyframe(int row, int frame);
  Status moveKeyframe(int row, int k, int frame);
  Status nudgeKeyframe(int row, int k, int frames);
  Status removeKeyframe(int row, int k);
  Status removeCurrent();  // the current keyframe, else the current shot

  // A new image shot from `params` (a gallery image dropped on the timeline), made
  // as the Project panel's "Add shot" makes one (shot_from_params: the next free id,
  // its model folder registered when new). kInvalidArgument when no model is named.
  Result<ShotDraft> draftShot(const GenerationParams& params) const;
  // Adds `draft` dropped at `start` on `track` (timeline::insert_shot) as one undo
  // step: the shot, its new model and the shots it pushes right; then selects it.
  Status addShot(ShotDraft draft, double start, int track);

  // Where `dcgen render` and the queue put the shot's image: <output>/<id>.png or
  // .tif; empty for an unsaved project or an output format Qt cannot read.
  QString outputFile(int row) const;
  // That image scaled to `height`; null when there is none.
  QImage thumbnail(int row, int height) const;

 Q_SIGNALS:
  void playheadChanged(double seconds);

 private:
  // The structure views were told about, kept apart from the document so child
  // rows can be diffed after a shot changed. `key` names a shot's row for the
  // life of the model: keyframe indexes carry it, so they survive reorders.
  struct Row {
    quintptr key;
    std::vector<int> keyframe_frames;
  };
  struct CachedThumbnail {
    QDateTime modified;
    QImage image;
  };

  Row makeRow(int row);
  int rowOfKey(quintptr key) const;
  void onShotChanged(int row);
  Status push(const QString& text, std::vector<project::Shot> after, bool merge = false);
  QString shotName(int row) const;

  ProjectDocument* doc_;
  QUndoStack* undo_;
  QItemSelectionModel* selection_;
  std::vector<Row> rows_;
  quintptr next_key_ = 1;  // 0: top level
  double playhead_ = 0;
  mutable QHash<QString, CachedThumbnail> thumbnails_;  // by file
};

}  // namespace dc::ui
