// The gallery: every image generated, newest first, with the parameters that
// made it (the seed is the image's own, so "reopen parameters" re-makes exactly
// it). Thumbnails are made once, when an item is added.
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QImage>
#include <QList>

#include "ui/common/generation_params.h"

namespace dc::ui {

struct GalleryItem {
  QString file;              // the image on disk
  GenerationParams params;   // params.seed: this image's seed
  QDateTime created;
  QImage thumbnail;          // at most kThumbnailSize on its longer side
};

class GalleryModel : public QAbstractListModel {
  Q_OBJECT

 public:
  static constexpr int kThumbnailSize = 160;
  enum Role { kFileRole = Qt::UserRole + 1, kSeedRole, kParamsRole };

  explicit GalleryModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  // Items drag out (to the timeline) as their parameters, kGenerationParamsMimeType.
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;  // the first item's

  const QList<GalleryItem>& items() const { return items_; }
  const GalleryItem* item(int row) const;
  // Newest first. The thumbnail is scaled from `image`, or read from the file when null.
  void add(GalleryItem item, const QImage& image = {});
  void setItems(QList<GalleryItem> items);  // thumbnails read from the files when missing

 Q_SIGNALS:
  void changed();  // gallery.json should be written

 private:
  QList<GalleryItem> items_;
};

QImage make_thumbnail(const QImage& image);
QImage read_thumbnail(const QString& file);  // null when unreadable

}  // namespace dc::ui
