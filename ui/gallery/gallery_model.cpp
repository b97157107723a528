#include "ui/gallery/gallery_model.h"

#include <QFileInfo>
#include <QIcon>
#include <QImageReader>
#include <QPixmap>

#include "ui/common/generation_params_mime.h"

namespace dc::ui {

QImage make_thumbnail(const QImage& image) {
  if (image.isNull()) return {};
  if (image.width() <= GalleryModel::kThumbnailSize && image.height() <= GalleryModel::kThumbnailSize) {
    return image;
  }
  return image.scaled(GalleryModel::kThumbnailSize, GalleryModel::kThumbnailSize, Qt::KeepAspectRatio,
                      Qt::SmoothTransformation);
}

QImage read_thumbnail(const QString& file) {
  QImageReader reader(file);
  const QSize size = reader.size();
  if (size.isValid() && (size.width() > GalleryModel::kThumbnailSize || size.height() > GalleryModel::kThumbnailSize)) {
    reader.setScaledSize(size.scaled(GalleryModel::kThumbnailSize, GalleryModel::kThumbnailSize, Qt::KeepAspectRatio));
  }
  return reader.read();
}

GalleryModel::GalleryModel(QObject* parent) : QAbstractListModel(parent) {}

int GalleryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(items_.size());
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const {
  const GalleryItem* it = item(index.row());
  if (!index.isValid() || !it) return {};
  switch (role) {
    case Qt::DisplayRole: return tr("seed %1").arg(it->params.seed);
    case Qt::DecorationRole: return it->thumbnail.isNull() ? QVariant() : QVariant(QPixmap::fromImage(it->thumbnail));
    case Qt::ToolTipRole:
      return tr("%1\n%2\n%3").arg(summary_line(it->params), QFileInfo(it->file).fileName(),
                                  it->created.toString(Qt::ISODate));
    case kFileRole: return it->file;
    case kSeedRole: return it->params.seed;
    case kParamsRole: return QVariant::fromValue(it->params);
    default: return {};
  }
}

Qt::ItemFlags GalleryModel::flags(const QModelIndex& index) const {
  const Qt::ItemFlags base = QAbstractListModel::flags(index);
  return item(index.row()) && index.isValid() ? base | Qt::ItemIsDragEnabled : base;
}

QStringList GalleryModel::mimeTypes() const { return {QString::fromLatin1(kGenerationParamsMimeType)}; }

QMimeData* GalleryModel::mimeData(const QModelIndexList& indexes) const {
  for (const QModelIndex& index : indexes)
    if (const GalleryItem* it = index.isValid() ? item(index.row()) : nullptr) return generation_params_mime(it->params);
  return nullptr;
}

const GalleryItem* GalleryModel::item(int row) const {
  return row >= 0 && row < items_.size() ? &items_[row] : nullptr;
}

void GalleryModel::add(GalleryItem item, const QImage& image) {
  item.thumbnail = image.isNull() ? read_thumbnail(item.file) : make_thumbnail(image);
  beginInsertRows({}, 0, 0);
  items_.prepend(std::move(item));
  endInsertRows();
  Q_EMIT changed();
}

void GalleryModel::setItems(QList<GalleryItem> items) {
  for (GalleryItem& it : items)
    if (it.thumbnail.isNull()) it.thumbnail = read_thumbnail(it.file);
  beginResetModel();
  items_ = std::move(items);
  endResetModel();
}

}  // namespace dc::ui
