// The open project (a .dcproj): the core Project, where it is saved, whether it
// has unsaved edits, and its autosave. Edits go through the small set of methods
// below, each of which checks first and changes nothing on failure; undoable
// commands (project_commands.h) call them.
//
//   ProjectDocument doc;
//   DC_TRY_STATUS(doc.open("film.dcproj"));      // offers nothing by itself: see recovery()
//   doc.insertShot(doc.project().shots.size(), draft);
//   DC_TRY_STATUS(doc.save());
#pragma once

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

#include "core/base/result.h"
#include "core/project/autosave.h"
#include "core/project/project.h"
#include "ui/project/shot_params.h"

class QTimer;

namespace dc::ui {

class ProjectDocument : public QObject {
  Q_OBJECT

 public:
  static constexpr int kAutosaveIntervalMs = 30000;

  explicit ProjectDocument(QObject* parent = nullptr);
  ~ProjectDocument() override;

  const project::Project& project() const { return project_; }
  QString filePath() const { return file_; }  // empty: never saved
  QString displayName() const;                // the file's name, or "Untitled"
  bool isDirty() const { return dirty_; }

  void reset();  // a new, empty, unsaved project
  // Loads `path` (migrated, validated). An autosave newer than the file is not applied:
  // recovery() tells about it and restoreAutosave() applies it.
  Status open(const QString& path);
  Status save();                     // to filePath(); kInvalidArgument when never saved
  Status saveAs(const QString& path);  // relative model/LoRA folders are rebased onto the new folder
  Status writeAutosave();            // when dirty and saved once (the timer calls it)

  // The autosave left by a session that ended without saving, if newer than the file.
  Result<std::optional<project::Recovery>> recovery() const;
  void restoreAutosave(const project::Recovery& recovery);  // the recovered project, marked dirty
  Status discardAutosave();

  // ---- edits ----
  Status checkInsertShot(int index, const ShotDraft& draft) const;  // what insertShot would say
  Status insertShot(int index, const ShotDraft& draft);  // adds draft.new_model first when set
  Result<project::Shot> removeShot(int index);
  Status removeModel(const std::string& id);  // only when no shot uses it (undo of an added model)
  Status addModel(const project::ModelRef& model);  // a new model an edited shot starts to use
  // The same shots (the same ids) with new content and order, as timeline and
  // prompt edits make them. The result must pass the schema (what save checks),
  // so an edit never makes a project that cannot be saved. Moves are emitted
  // first (shotAboutToBeMoved/shotMoved), then shotChanged for each shot whose
  // content changed.
  // `new_model`: a model the edited shots use that addModel will add first.
  Status checkEditShots(const std::vector<project::Shot>& shots,
                        const std::optional<project::ModelRef>& new_model = std::nullopt) const;
  Status editShots(const std::vector<project::Shot>& shots);

 Q_SIGNALS:
  // Each change is bracketed, as list models need: aboutTo before, the other after.
  void shotAboutToBeInserted(int index);
  void shotInserted(int index);
  void shotAboutToBeRemoved(int index);
  void shotRemoved(int index);
  void shotAboutToBeMoved(int from, int to);  // `to`: its index after the move
  void shotMoved(int from, int to);
  void shotChanged(int index);
  void projectAboutToReset();
  void projectReset();  // a different project (new / open / restore)
  void dirtyChanged(bool dirty);
  void filePathChanged(const QString& path);
  void autosaveFailed(const QString& error);

 private:
  void setDirty(bool dirty);
  void setFile(const QString& path);

  project::Project project_;
  QString file_;
  bool dirty_ = false;
  std::unique_ptr<project::Autosave> autosave_;  // only once the project has a file
  QTimer* autosave_timer_;
};

}  // namespace dc::ui
