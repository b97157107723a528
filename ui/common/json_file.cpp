#include "ui/common/json_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include "core/project/atomic_file.h"

namespace dc::ui {

Result<QJsonObject> read_json_file(const QString& path, const QString& expected_format) {
  QFile file(path);
  if (!file.exists()) return Error::not_found(path.toStdString() + ": no such file");
  if (!file.open(QIODevice::ReadOnly)) {
    return Error::io(path.toStdString() + ": cannot read (" + file.errorString().toStdString() + ")");
  }
  QJsonParseError parse;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parse);
  if (parse.error != QJsonParseError::NoError) {
    return Error::format(path.toStdString() + ": not valid JSON (" + parse.errorString().toStdString() +
                         " at byte " + std::to_string(parse.offset) + ")");
  }
  if (!doc.isObject() || doc.object().value(QStringLiteral("format")).toString() != expected_format) {
    return Error::format(path.toStdString() + ": not a " + expected_format.toStdString() + " file");
  }
  return doc.object();
}

Status write_json_file(const QString& path, const QString& format, QJsonObject object) {
  object.insert(QStringLiteral("format"), format);
  if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
    return Error::io(path.toStdString() + ": cannot create its folder");
  }
  const QByteArray bytes = QJsonDocument(object).toJson(QJsonDocument::Indented);
  return project::write_file_atomic(path.toStdString(), std::string_view(bytes.constData(), bytes.size()));
}

}  // namespace dc::ui
