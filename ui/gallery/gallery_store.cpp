#include "ui/gallery/gallery_store.h"

#include <QFileInfo>
#include <QJsonArray>

#include "ui/common/json_file.h"

namespace dc::ui {
namespace {

const QString kFormat = QStringLiteral("dcstudio-gallery");

}  // namespace

Result<QList<GalleryItem>> load_gallery(const QString& path) {
  Result<QJsonObject> json = read_json_file(path, kFormat);
  if (!json) {
    if (json.error().code() == ErrorCode::kNotFound) return QList<GalleryItem>{};
    return std::move(json).error();
  }
  if (json->value(QStringLiteral("version")).toInt() != kGalleryFileVersion) {
    return Error::not_supported(path.toStdString() + ": unknown gallery file version");
  }
  QList<GalleryItem> items;
  for (const QJsonValue& v : json->value(QStringLiteral("items")).toArray()) {
    const QJsonObject o = v.toObject();
    GalleryItem item;
    item.file = o.value(QStringLiteral("file")).toString();
    item.created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODate);
    QString why;
    std::optional<GenerationParams> params = params_from_json(o.value(QStringLiteral("params")).toObject(), &why);
    if (!params) return Error::format(path.toStdString() + ": item \"" + item.file.toStdString() + "\": " + why.toStdString());
    item.params = std::move(*params);
    if (QFileInfo::exists(item.file)) items << std::move(item);
  }
  return items;
}

Status save_gallery(const QString& path, const QList<GalleryItem>& items) {
  QJsonArray array;
  for (const GalleryItem& item : items.mid(0, kGalleryMaxItems)) {
    array.append(QJsonObject{{QStringLiteral("file"), item.file},
                             {QStringLiteral("created"), item.created.toString(Qt::ISODate)},
                             {QStringLiteral("params"), to_json(item.params)}});
  }
  return write_json_file(path, kFormat, QJsonObject{{QStringLiteral("version"), kGalleryFileVersion},
                                                    {QStringLiteral("items"), array}});
}

}  // namespace dc::ui
