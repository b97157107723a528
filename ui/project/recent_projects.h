// The File ▸ Open recent list: project files most recently opened or saved as,
// newest first, at most kMaxRecentProjects, one entry per file (canonical
// path), kept in the app's settings so a restart finds it.
//
//   RecentProjects recent(&settings);
//   recent.add(doc.filePath());            // after a successful open or Save As
//   for (const QString& file : recent.files()) menu->addAction(file);
//   recent.remove(file);                   // it could not be opened any more
#pragma once

#include <QObject>
#include <QStringList>

class QSettings;

namespace dc::ui {

inline constexpr int kMaxRecentProjects = 10;

class RecentProjects : public QObject {
  Q_OBJECT

 public:
  explicit RecentProjects(QSettings* store, QObject* parent = nullptr);

  QStringList files() const { return files_; }
  void add(const QString& file);  // to the top; an older entry for the same file goes
  void remove(const QString& file);
  void clear();

 Q_SIGNALS:
  void changed();

 private:
  void save();

  QSettings* store_;
  QStringList files_;
};

}  // namespace dc::ui
