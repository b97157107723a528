#include "core/project/project_migration.h"

#include <nlohmann/json.hpp>

#include "core/project/project.h"

namespace dc::project {

const ProjectMigrations& project_migrations() {
  static const ProjectMigrations table;
  return table;
}

Status migrate_project(nlohmann::json& document, int from_version, const ProjectMigrations& migrations) {
  for (int v = from_version; v < kProjectVersion; ++v) {
    const auto step = migrations.find(v);
    if (step == migrations.end()) {
      return Error::format("project version " + std::to_string(from_version) + " is not supported: no upgrade from "
                           "version " + std::to_string(v) + " to " + std::to_string(v + 1));
    }
    Status s = step->second(document);
    if (!s) {
      return std::move(s).error().with_context("upgrading the project from version " + std::to_string(v) + " to " +
                                               std::to_string(v + 1));
    }
    document["version"] = v + 1;
  }
  return ok_status();
}

}  // namespace dc::project
