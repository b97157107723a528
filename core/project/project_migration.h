// Bringing older .dcproj documents to the current version, one step at a time.
//
// Each entry of the table turns a version-N document into version N+1 (the
// runner then sets "version" to N+1); a file of version N goes through every
// step from N up to kProjectVersion, then the schema check. Add a step when a
// version changes the meaning or layout of a key; loading never rewrites the
// file — saving writes the current version.
//
//   ProjectMigrations table = project_migrations();
//   table[1] = [](nlohmann::json& doc) { doc["output"]["folder"] = ...; return ok_status(); };  // v1 -> v2
#pragma once

#include <functional>
#include <map>

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.h"

namespace dc::project {

using ProjectMigration = std::function<Status(nlohmann::json& document)>;
using ProjectMigrations = std::map<int, ProjectMigration>;  // from-version -> step to from-version + 1

// This build's steps. Version 1 is the first released format, so it is empty;
// tests pass their own table to exercise the mechanism.
const ProjectMigrations& project_migrations();

// Brings `document` (of `from_version`, 0 <= from_version < kProjectVersion) to
// kProjectVersion. kFormat naming the version when a step is missing or fails.
Status migrate_project(nlohmann::json& document, int from_version, const ProjectMigrations& migrations);

}  // namespace dc::project
