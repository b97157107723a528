// Autosave and crash recovery for an open project.
//
// While the user edits, the app marks the project dirty and, on a timer, asks
// Autosave to write "<project>.autosave" (atomically, so a crash mid-write leaves
// the previous autosave). A real save removes the autosave. On the next start,
// recover() tells whether an autosave newer than the project file is there (the
// last session did not end with a save) and loads it, so the UI can offer it.
//
//   Autosave autosave("film.dcproj");
//   autosave.mark_dirty();                            // after each edit
//   DC_TRY_STATUS(autosave.write_if_dirty(project));  // on the timer
//   DC_TRY_STATUS(save_project_atomic(project, "film.dcproj"));
//   DC_TRY_STATUS(autosave.saved());                  // drops the autosave
//
//   DC_TRY(std::optional<Recovery> r, recover("film.dcproj"));  // at start
//   if (r) ask_user("Restore unsaved changes from ...?")
#pragma once

#include <filesystem>
#include <optional>

#include "core/base/result.h"
#include "core/project/project.h"

namespace dc::project {

// "<dir>/<name>.dcproj" -> "<dir>/<name>.dcproj.autosave"
std::filesystem::path autosave_path(const std::filesystem::path& project_file);

class Autosave {
 public:
  explicit Autosave(std::filesystem::path project_file);

  void mark_dirty() { dirty_ = true; }
  bool dirty() const { return dirty_; }
  const std::filesystem::path& path() const { return autosave_; }

  // Writes the autosave when the project changed since the last write (or save).
  Status write_if_dirty(const Project& project);
  // Writes it now, dirty or not.
  Status write(const Project& project);
  // Call after the project file was saved: removes the autosave, clears dirty.
  Status saved();

 private:
  std::filesystem::path project_file_;
  std::filesystem::path autosave_;
  bool dirty_ = false;
};

struct Recovery {
  Project project;                           // what the autosave holds
  std::filesystem::path autosave;            // where it is
  std::filesystem::file_time_type saved_at;  // when it was written
};

// nullopt when there is no autosave, or the project file is at least as new.
// An autosave that exists without a project file (never saved) is offered too.
// An autosave that cannot be read is an error (naming it); the UI may discard it.
Result<std::optional<Recovery>> recover(const std::filesystem::path& project_file);

// Removes the autosave (the user declined it); absent is fine.
Status discard_autosave(const std::filesystem::path& project_file);

}  // namespace dc::project
