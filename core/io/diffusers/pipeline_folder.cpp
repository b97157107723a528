#include "core/io/diffusers/pipeline_folder.h"

#include <system_error>

#include <nlohmann/json.hpp>

#include "core/io/safetensors/json_util.h"

namespace dc {
namespace {

namespace fs = std::filesystem;

bool is_plain_folder_name(std::string_view name) {
  return !name.empty() && name.find('/') == std::string_view::npos && name.find('\\') == std::string_view::npos &&
         name.find("..") == std::string_view::npos && name != ".";
}

}  // namespace

Result<PipelineFolder> open_pipeline(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_regular_file(dir, ec))
    return Error::invalid_argument(dir.string() + " is a file; pass the pipeline folder holding model_index.json");
  const fs::path index_path = dir / "model_index.json";
  if (!fs::exists(index_path, ec))
    return Error::not_found(dir.string() + ": no model_index.json (not a diffusers pipeline folder?)");

  PipelineFolder p;
  p.dir_ = dir;
  DC_TRY(p.model_index_, ConfigReader::from_file(index_path));
  DC_TRY(p.pipeline_class_, p.model_index_.class_name());

  const std::string& where = p.model_index_.context();
  for (const auto& [key, value] : p.model_index_.json().items()) {
    if (key.starts_with("_") || !value.is_array()) continue;
    if (value.size() == 2 && value[0].is_null() && value[1].is_null()) continue;
    if (value.size() != 2 || !value[0].is_string() || !value[1].is_string())
      return Error::format(where + ": component '" + key + "' must be [library, class] strings, got " +
                           value.dump());
    if (!is_plain_folder_name(key))
      return Error::format(where + ": component name '" + key + "' is not a plain folder name");
    p.names_.push_back(key);
    p.components_.emplace(key, PipelineFolder::Entry{value[0].get<std::string>(), value[1].get<std::string>()});
  }
  return p;
}

Result<const PipelineFolder::Entry*> PipelineFolder::entry(std::string_view name) const {
  auto it = components_.find(name);
  if (it == components_.end())
    return Error::not_found(model_index_.context() + ": pipeline has no component '" + std::string(name) + "'");
  return &it->second;
}

Result<std::string> PipelineFolder::component_library(std::string_view name) const {
  DC_TRY(const Entry* e, entry(name));
  return e->library;
}

Result<std::string> PipelineFolder::component_class(std::string_view name) const {
  DC_TRY(const Entry* e, entry(name));
  return e->class_name;
}

Result<fs::path> PipelineFolder::component_dir(std::string_view name) const {
  DC_TRY_STATUS(entry(name));
  const fs::path path = dir_ / std::string(name);
  std::error_code ec;
  if (!fs::is_directory(path, ec))
    return Error::not_found(dir_.string() + ": component '" + std::string(name) + "' has no folder " +
                            path.string());
  return path;
}

Result<ComponentFolder> PipelineFolder::component(std::string_view name, std::string_view variant) const {
  DC_TRY(fs::path path, component_dir(name));
  auto c = open_component(path, variant);
  if (!c)
    return Error(c.error()).with_context("pipeline component '" + std::string(name) + "' (" +
                                         components_.find(name)->second.class_name + ")");
  return std::move(*c);
}

}  // namespace dc
