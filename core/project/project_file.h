// Reading and writing .dcproj files (versioned JSON; layout in project_schema.h).
//
//   DC_TRY(Project p, load_project("film.dcproj"));      // migrated to the current version, validated
//   p.shots[0].seed = 7;
//   DC_TRY_STATUS(save_project_atomic(p, "film.dcproj"));  // temp + fsync + rename + fsync folder
//
// Loading never writes: a file from a newer DC Studio, a malformed one or one
// that fails a migration is reported and left exactly as it was.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/project/project.h"
#include "core/project/project_migration.h"

namespace dc::project {

// kFormat: not JSON, not a project, a schema problem (naming its JSON path), an
// unknown old version; kNotSupported: "made by a newer DC Studio".
Result<Project> parse_project(std::string_view text, const ProjectMigrations& migrations = project_migrations());

// The file's text (2-space indented JSON, current version). kInvalidArgument when
// the project breaks a schema rule (it would not load again) or holds invalid UTF-8.
Result<std::string> serialize_project(const Project& project);

// parse_project on the file, errors prefixed with its path.
Result<Project> load_project(const std::filesystem::path& path,
                             const ProjectMigrations& migrations = project_migrations());

// Writes atomically: readers (and a crash) see the old file or the new one.
Status save_project_atomic(const Project& project, const std::filesystem::path& path);

// A path stored in the project (model folder, LoRA, output folder): absolute ones
// as they are, relative ones against the project file's folder.
std::filesystem::path resolve_project_path(const std::filesystem::path& project_file, const std::string& stored);

}  // namespace dc::project
