// What the viewport shows at the timeline's playhead, while the timeline plays
// or the ruler is scrubbed: the shot in front there (timeline::shot_at) as the
// render queue or `dcgen render` left it in the project's output folder, or a
// card naming the shot and the prompt in effect at that frame when there is no
// picture yet (not rendered, or a video shot: video renders need a video model).
// A gap between shots shows nothing.
//
// refresh() emits frameChanged only when what is shown changes (another shot,
// its file rewritten, another video frame), not on every playhead tick, and
// decides that before reading or drawing pixels: a 4K still is read and
// uploaded once per shot.
//
//   PlayheadPreview preview(&timeline_model);
//   connect(&preview, &PlayheadPreview::frameChanged, viewport, ...);
//   preview.refresh();  // after the playhead moved
#pragma once

#include <QCache>
#include <QDateTime>
#include <QImage>
#include <QObject>
#include <QString>

namespace dc::ui {

class TimelineModel;

struct PlayheadFrame {
  int row = -1;           // the shot shown; -1 in a gap
  bool rendered = false;  // `image` is the shot's output (else a card, or null in a gap)
  QImage image;
  QString caption;
};

class PlayheadPreview : public QObject {
  Q_OBJECT

 public:
  explicit PlayheadPreview(TimelineModel* model, QObject* parent = nullptr);

  // The frame at `seconds`, reading (and caching) the shot's output file.
  PlayheadFrame frameAt(double seconds);
  // frameChanged(frameAt(playhead)) when it differs from the last one emitted, or always with `force`.
  void refresh(bool force = false);

 Q_SIGNALS:
  void frameChanged(const PlayheadFrame& frame);

 private:
  // What is shown at a time, without pixels (a stat of the shot's file at most).
  struct Pick {
    int row = -1;        // -1: a gap
    int frame = -1;      // video shots: the frame shown
    QString file;        // image shots: the rendered picture, empty when there is none
    QDateTime modified;  // and when it was written
  };
  Pick pick(double seconds) const;
  PlayheadFrame render(const Pick& pick);

  struct CachedImage {
    QDateTime modified;
    QImage image;
  };
  QImage outputImage(const QString& path, const QDateTime& modified);

  TimelineModel* model_;
  QString shown_;  // what the last emitted frame was, as a key
  QCache<QString, CachedImage> images_;  // by file, cost in KiB
};

// The "no picture yet" card: the shot's aspect ratio, its id, `prompt` and `note`.
QImage shot_card(int width, int height, const QString& shot_id, const QString& prompt, const QString& note);

}  // namespace dc::ui
