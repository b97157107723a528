#include "ui/project/recent_projects.h"

#include <QSettings>

#include "ui/common/widget_helpers.h"

namespace dc::ui {
namespace {
const QString kKey = QStringLiteral("session/recent_projects");
}

RecentProjects::RecentProjects(QSettings* store, QObject* parent) : QObject(parent), store_(store) {
  for (const QString& file : store_->value(kKey).toStringList())
    if (!file.isEmpty() && !files_.contains(file) && files_.size() < kMaxRecentProjects) files_ << file;
}

void RecentProjects::add(const QString& file) {
  if (file.isEmpty()) return;
  const QString path = canonical_path(file);
  files_.removeAll(path);
  files_.prepend(path);
  while (files_.size() > kMaxRecentProjects) files_.removeLast();
  save();
}

void RecentProjects::remove(const QString& file) {
  if (files_.removeAll(file) + files_.removeAll(canonical_path(file)) > 0) save();
}

void RecentProjects::clear() {
  if (files_.isEmpty()) return;
  files_.clear();
  save();
}

void RecentProjects::save() {
  store_->setValue(kKey, files_);
  Q_EMIT changed();
}

}  // namespace dc::ui
