#include "ui/prompt/model_catalog.h"

#include <QDir>
#include <QFileInfo>

namespace dc::ui {
namespace {

bool is_pipeline(const QDir& dir) { return QFileInfo(dir.filePath(QStringLiteral("model_index.json"))).isFile(); }

}  // namespace

QList<ModelEntry> find_pipelines(const QStringList& folders) {
  QList<ModelEntry> found;
  auto add = [&found](const QDir& dir) {
    const ModelEntry entry{dir.dirName(), dir.absolutePath()};
    if (!found.contains(entry)) found << entry;
  };
  for (const QString& folder : folders) {
    const QDir dir(folder);
    if (!dir.exists()) continue;
    if (is_pipeline(dir)) {
      add(dir);
      continue;
    }
    for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
      const QDir child(dir.filePath(name));
      if (is_pipeline(child)) add(child);
    }
  }
  return found;
}

}  // namespace dc::ui
