// The model picker's list: pipeline folders (a model_index.json inside) found in
// the folders the user configured — each configured folder is either a pipeline
// itself or a folder of pipelines (one level deep).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dc::ui {

struct ModelEntry {
  QString name;    // the folder's name, as the picker shows it
  QString folder;  // absolute path
  bool operator==(const ModelEntry&) const = default;
};

// In the order of `folders`, each folder's pipelines sorted by name; no duplicates.
// Missing or unreadable folders are skipped.
QList<ModelEntry> find_pipelines(const QStringList& folders);

// What the picker offers: find_pipelines(folders), then the embedded demo model
// (core/pipeline/embedded_model.h) under its model card's label, so a fresh
// install has something to generate with.
QList<ModelEntry> available_models(const QStringList& folders);

}  // namespace dc::ui
