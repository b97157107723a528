#include "ui/project/shot_output.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace dc::ui {

Status publish_shot_output(const QString& from, const QString& to) {
  QFile in(from);
  if (!in.open(QIODevice::ReadOnly)) return Error::io(from.toStdString() + ": " + in.errorString().toStdString());
  const QByteArray bytes = in.readAll();
  if (!QDir().mkpath(QFileInfo(to).absolutePath()))
    return Error::io(QFileInfo(to).absolutePath().toStdString() + ": cannot create the folder");
  QSaveFile out(to);
  if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
    return Error::io(to.toStdString() + ": " + out.errorString().toStdString());
  return {};
}

}  // namespace dc::ui
