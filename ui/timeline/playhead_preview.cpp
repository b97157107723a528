#include "ui/timeline/playhead_preview.h"

#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "core/project/project.h"
#include "ui/timeline/timeline_edits.h"
#include "ui/timeline/timeline_model.h"

namespace dc::ui {
namespace {

constexpr int kCacheKiB = 512 * 1024;  // decoded pictures kept: a dozen 4K stills
constexpr int kCardLongSide = 768;

// The frame of a video shot seen at `seconds` (the one being shown, not the nearest).
int frame_shown(const project::Shot& s, double seconds) {
  const int frame = static_cast<int>(std::floor((seconds - s.timeline.start) * s.fps + 1e-9));
  return std::clamp(frame, 0, std::max(0, s.frames - 1));
}

}  // namespace

QImage shot_card(int width, int height, const QString& shot_id, const QString& prompt, const QString& note) {
  const double scale = double(kCardLongSide) / std::max({width, height, 1});
  QImage card(std::max(64, int(width * scale)), std::max(64, int(height * scale)), QImage::Format_RGB32);
  card.fill(QColor(0x24, 0x26, 0x2c));
  QPainter p(&card);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(QColor(0x5a, 0x5f, 0x6b), 2, Qt::DashLine));
  p.drawRect(QRectF(card.rect()).adjusted(8, 8, -8, -8));
  const QRect text_box = card.rect().adjusted(28, 28, -28, -28);
  QFont title = p.font();
  title.setPixelSize(std::max(14, card.height() / 14));
  title.setBold(true);
  p.setFont(title);
  p.setPen(QColor(0xe8, 0xea, 0xee));
  p.drawText(text_box, Qt::AlignLeft | Qt::AlignTop, shot_id);
  QFont body = p.font();
  body.setPixelSize(std::max(11, card.height() / 26));
  body.setBold(false);
  p.setFont(body);
  // The note sits at the bottom, as tall as its wrapped lines; the prompt fills what is above.
  const int flags = Qt::AlignLeft | Qt::TextWordWrap;
  const QRect note_box = p.boundingRect(text_box, flags | Qt::AlignBottom, note);
  const QRect prompt_box(text_box.left(), text_box.top() + title.pixelSize() * 2, text_box.width(),
                         std::max(0, note_box.top() - body.pixelSize() - text_box.top() - title.pixelSize() * 2));
  p.drawText(prompt_box, flags | Qt::AlignTop, prompt);
  p.setPen(QColor(0xf0, 0xc0, 0x60));
  p.drawText(text_box, flags | Qt::AlignBottom, note);
  return card;
}

PlayheadPreview::PlayheadPreview(TimelineModel* model, QObject* parent)
    : QObject(parent), model_(model), images_(kCacheKiB) {}

QImage PlayheadPreview::outputImage(const QString& path, const QDateTime& modified) {
  if (CachedImage* hit = images_.object(path); hit && hit->modified == modified) return hit->image;
  QImageReader reader(path);
  QImage image = reader.read();
  if (image.isNull()) return {};
  const int cost = std::max<qsizetype>(1, image.sizeInBytes() / 1024);
  images_.insert(path, new CachedImage{modified, image}, cost);
  return image;
}

PlayheadPreview::Pick PlayheadPreview::pick(double seconds) const {
  Pick p;
  p.row = timeline::shot_at(model_->shots(), seconds);
  if (p.row < 0) return p;
  const project::Shot& s = model_->shots()[p.row];
  if (s.type == project::ShotType::kVideo) {
    p.frame = frame_shown(s, seconds);
    return p;
  }
  p.file = model_->outputFile(p.row);
  const QFileInfo info(p.file);
  if (p.file.isEmpty() || !info.isFile()) p.file.clear();
  else p.modified = info.lastModified();
  return p;
}

PlayheadFrame PlayheadPreview::render(const Pick& p) {
  PlayheadFrame frame;
  frame.row = p.row;
  if (p.row < 0) return frame;
  const project::Shot& s = model_->shots()[p.row];
  const QString id = QString::fromStdString(s.id);
  if (s.type == project::ShotType::kVideo) {
    frame.image = shot_card(s.width, s.height, id, QString::fromStdString(project::prompt_at_frame(s, p.frame)),
                            tr("Video shot, frame %1 of %2 — rendering video needs a video model").arg(p.frame).arg(s.frames));
    frame.caption = tr("%1 · frame %2 of %3").arg(id).arg(p.frame).arg(s.frames);
    return frame;
  }
  if (!p.file.isEmpty()) frame.image = outputImage(p.file, p.modified);
  frame.rendered = !frame.image.isNull();
  if (frame.rendered) {
    frame.caption = tr("%1 · %2").arg(id, QFileInfo(p.file).fileName());
  } else {
    frame.image = shot_card(s.width, s.height, id, QString::fromStdString(s.prompt),
                            tr("Not rendered yet — Project ▸ Queue all shots, or dcgen render"));
    frame.caption = tr("%1 · not rendered").arg(id);
  }
  return frame;
}

PlayheadFrame PlayheadPreview::frameAt(double seconds) { return render(pick(seconds)); }

void PlayheadPreview::refresh(bool force) {
  // Playback ticks at ~60 Hz: compare what would be shown (shot, video frame, file and its
  // time) before reading or drawing any pixels.
  const Pick p = pick(model_->playhead());
  const QString key = QStringLiteral("%1/%2/%3/%4")
                          .arg(p.row)
                          .arg(p.frame)
                          .arg(p.file)
                          .arg(p.modified.isValid() ? p.modified.toMSecsSinceEpoch() : 0);
  if (!force && key == shown_) return;
  shown_ = key;
  Q_EMIT frameChanged(render(p));
}

}  // namespace dc::ui
