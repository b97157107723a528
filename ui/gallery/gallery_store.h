// gallery.json: the generation history, so the gallery survives restarts. Images
// stay where they were written; entries whose file is gone are dropped on load.
#pragma once

#include <QList>
#include <QString>

#include "core/base/result.h"
#include "ui/gallery/gallery_model.h"

namespace dc::ui {

inline constexpr int kGalleryFileVersion = 1;
inline constexpr int kGalleryMaxItems = 500;  // oldest dropped when saving

Result<QList<GalleryItem>> load_gallery(const QString& path);  // absent file: empty
Status save_gallery(const QString& path, const QList<GalleryItem>& items);

}  // namespace dc::ui
