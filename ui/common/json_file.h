// Small JSON documents the app keeps in its data folder (queue.json,
// gallery.json): read whole, written atomically through core (temp file, fsync,
// rename, fsync folder), so a crash leaves the old file or the new one.
#pragma once

#include <QJsonObject>
#include <QString>

#include "core/base/result.h"

namespace dc::ui {

// kNotFound when the file is absent; kFormat (naming the file) when it is not a
// JSON object or is missing `format` == `expected_format`.
Result<QJsonObject> read_json_file(const QString& path, const QString& expected_format);
// Sets "format" to `format` and writes; the folder is created if needed.
Status write_json_file(const QString& path, const QString& format, QJsonObject object);

}  // namespace dc::ui
