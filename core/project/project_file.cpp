#include "core/project/project_file.h"

#include <nlohmann/json.hpp>

#include "core/io/safetensors/json_util.h"
#include "core/project/atomic_file.h"
#include "core/project/project_schema.h"

namespace dc::project {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kMaxProjectBytes = 64ull << 20;

// Checks "format" and "version", then migrates older documents in place.
Status bring_to_current_version(nlohmann::json& doc, const ProjectMigrations& migrations) {
  const std::string not_project = "not a DC Studio project";
  if (!doc.is_object()) return Error::format(not_project + " (expected a JSON object)");
  const auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() || format->get<std::string>() != kProjectFormat) {
    return Error::format(not_project + " (\"format\" must be \"" + std::string(kProjectFormat) + "\")");
  }
  const auto version_it = doc.find("version");
  const std::optional<int64_t> version = version_it == doc.end() ? std::nullopt : json_to_int64(*version_it);
  if (!version || *version < 0) return Error::format("version: must be a non-negative integer");
  if (*version > kProjectVersion) {
    return Error::not_supported("made by a newer DC Studio: project version " + std::to_string(*version) +
                                ", this build reads versions up to " + std::to_string(kProjectVersion) +
                                " (update DC Studio to open it; the file was not changed)");
  }
  if (*version < kProjectVersion) return migrate_project(doc, static_cast<int>(*version), migrations);
  return ok_status();
}

}  // namespace

Result<Project> parse_project(std::string_view text, const ProjectMigrations& migrations) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Error::format(std::string("not valid JSON: ") + e.what());
  }
  DC_TRY_STATUS(bring_to_current_version(doc, migrations));
  return project_from_json(doc);
}

Result<std::string> serialize_project(const Project& project) {
  std::string text;
  try {
    text = project_to_json(project).dump(2) + "\n";
  } catch (const nlohmann::json::exception& e) {
    return Error::invalid_argument(std::string("cannot write the project: ") + e.what());
  }
  // Never write a file that would not load again.
  Result<Project> reread = parse_project(text);
  if (!reread) return Error::invalid_argument("cannot write the project: " + reread.error().message());
  return text;
}

Result<Project> load_project(const fs::path& path, const ProjectMigrations& migrations) {
  DC_TRY(nlohmann::json doc, read_json_file(path, kMaxProjectBytes));
  Result<Project> p = [&]() -> Result<Project> {
    DC_TRY_STATUS(bring_to_current_version(doc, migrations));
    return project_from_json(doc);
  }();
  if (!p) return std::move(p).error().with_context(path.string());
  return p;
}

Status save_project_atomic(const Project& project, const fs::path& path) {
  Result<std::string> text = serialize_project(project);
  if (!text) return std::move(text).error().with_context(path.string());
  return write_file_atomic(path, *text);
}

fs::path resolve_project_path(const fs::path& project_file, const std::string& stored) {
  const fs::path p(stored);
  if (p.is_absolute()) return p;
  return (fs::absolute(project_file).parent_path() / p).lexically_normal();
}

}  // namespace dc::project
