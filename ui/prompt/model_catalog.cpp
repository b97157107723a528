#include "ui/prompt/model_catalog.h"

#include <QDir>
#include <QFileInfo>

#include "core/pipeline/embedded_model.h"
#include "core/pipeline/model_card.h"

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

QList<ModelEntry> available_models(const QStringList& folders) {
  QList<ModelEntry> models = find_pipelines(folders);
  auto demo = pipeline::embedded_demo_model();
  if (!demo) return models;
  const QString folder = QDir(QString::fromStdString(demo->string())).absolutePath();
  for (const ModelEntry& m : models)
    if (m.folder == folder) return models;  // the user listed it already
  QString name = QStringLiteral("demo: colored shapes");
  if (auto card = pipeline::read_model_card(*demo); card && card->has_value() && !(*card)->label.empty()) {
    name = QString::fromStdString((*card)->label);
  }
  models << ModelEntry{name, folder};
  return models;
}

}  // namespace dc::ui
