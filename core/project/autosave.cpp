#include "core/project/autosave.h"

#include "core/project/project_file.h"

namespace dc::project {
namespace fs = std::filesystem;

fs::path autosave_path(const fs::path& project_file) {
  fs::path p = project_file;
  p += ".autosave";
  return p;
}

Autosave::Autosave(fs::path project_file)
    : project_file_(std::move(project_file)), autosave_(autosave_path(project_file_)) {}

Status Autosave::write_if_dirty(const Project& project) {
  if (!dirty_) return ok_status();
  return write(project);
}

Status Autosave::write(const Project& project) {
  DC_TRY_STATUS(save_project_atomic(project, autosave_));
  dirty_ = false;
  return ok_status();
}

Status Autosave::saved() {
  dirty_ = false;
  return discard_autosave(project_file_);
}

Result<std::optional<Recovery>> recover(const fs::path& project_file) {
  const fs::path autosave = autosave_path(project_file);
  std::error_code ec;
  if (!fs::exists(autosave, ec)) return std::optional<Recovery>();
  const auto saved_at = fs::last_write_time(autosave, ec);
  if (ec) return Error::io(autosave.string() + ": cannot read its time: " + ec.message());
  if (fs::exists(project_file, ec)) {
    const auto project_time = fs::last_write_time(project_file, ec);
    if (ec) return Error::io(project_file.string() + ": cannot read its time: " + ec.message());
    if (project_time >= saved_at) return std::optional<Recovery>();
  }
  DC_TRY(Project project, load_project(autosave));
  return std::optional<Recovery>(Recovery{std::move(project), autosave, saved_at});
}

Status discard_autosave(const fs::path& project_file) {
  const fs::path autosave = autosave_path(project_file);
  std::error_code ec;
  fs::remove(autosave, ec);
  if (ec) return Error::io(autosave.string() + ": cannot remove: " + ec.message());
  return ok_status();
}

}  // namespace dc::project
