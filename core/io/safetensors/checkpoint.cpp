#include "core/io/safetensors/checkpoint.h"

#include <nlohmann/json.hpp>

#include "core/io/safetensors/json_util.h"

namespace dc {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A shard must be a plain file name in the index's folder.
bool is_plain_file_name(std::string_view name) {
  return !name.empty() && name.find('/') == std::string_view::npos && name.find('\\') == std::string_view::npos &&
         name.find("..") == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

}  // namespace

Result<Checkpoint> Checkpoint::open(const std::filesystem::path& path) {
  if (ends_with(path.filename().string(), ".json")) return open_index(path);
  DC_TRY(auto file, SafetensorsFile::open(path));
  Checkpoint c;
  c.path_ = path;
  c.names_ = file->tensor_names();
  for (const auto& name : c.names_) c.where_.emplace(name, 0);
  c.metadata_ = file->metadata();
  c.files_.push_back(std::move(file));
  return c;
}

Result<Checkpoint> Checkpoint::open_index(const std::filesystem::path& index_path) {
  const std::string where = index_path.string();
  DC_TRY(nlohmann::json root, read_json_file(index_path));
  if (!root.is_object())
    return Error::format(where + ": index must be a JSON object, got " + std::string(json_type_name(root)));
  auto map_it = root.find("weight_map");
  if (map_it == root.end()) return Error::format(where + ": index has no 'weight_map'");
  if (!map_it->is_object())
    return Error::format(where + ": 'weight_map' must be an object, got " + std::string(json_type_name(*map_it)));

  Checkpoint c;
  c.path_ = index_path;
  c.sharded_ = true;
  if (auto meta = root.find("metadata"); meta != root.end() && !meta->is_null()) {
    if (!meta->is_object())
      return Error::format(where + ": 'metadata' must be an object, got " + std::string(json_type_name(*meta)));
    for (const auto& [key, value] : meta->items())
      c.metadata_.emplace(key, value.is_string() ? value.get<std::string>() : value.dump());
  }

  std::map<std::string, std::string> shard_of;     // tensor -> shard file name
  std::map<std::string, std::string> first_tensor;  // shard -> a tensor needing it (for messages)
  for (const auto& [name, shard] : map_it->items()) {
    if (!shard.is_string())
      return Error::format(where + ": weight_map entry for tensor '" + name + "' must be a shard file name, got " +
                           std::string(json_type_name(shard)));
    const auto& file_name = shard.get_ref<const std::string&>();
    if (!is_plain_file_name(file_name))
      return Error::format(where + ": tensor '" + name + "' maps to shard '" + file_name +
                           "', which is not a plain file name in the index's folder");
    shard_of.emplace(name, file_name);
    first_tensor.emplace(file_name, name);
  }

  const auto dir = index_path.has_parent_path() ? index_path.parent_path() : std::filesystem::path(".");
  std::map<std::string, size_t> shard_index;
  for (const auto& [file_name, needed_by] : first_tensor) {  // sorted by shard file name
    const auto shard_path = dir / file_name;
    std::error_code ec;
    if (!std::filesystem::exists(shard_path, ec))
      return Error::not_found(where + ": shard '" + file_name + "' (holding tensor '" + needed_by +
                              "') does not exist in " + dir.string());
    auto file = SafetensorsFile::open(shard_path);
    if (!file) return Error(file.error()).with_context(where + ": shard '" + file_name + "'");
    shard_index.emplace(file_name, c.files_.size());
    c.files_.push_back(std::move(*file));
  }

  for (const auto& [name, file_name] : shard_of) {
    const size_t i = shard_index.at(file_name);
    if (!c.files_[i]->contains(name))
      return Error::format(where + ": tensor '" + name + "' is mapped to shard '" + file_name +
                           "', which does not contain it");
    c.where_.emplace(name, i);
  }
  c.names_.reserve(c.where_.size());
  for (size_t i = 0; i < c.files_.size(); ++i)
    for (const auto& name : c.files_[i]->tensor_names())
      if (auto it = c.where_.find(name); it != c.where_.end() && it->second == i) c.names_.push_back(name);
  return c;
}

Error Checkpoint::missing(std::string_view name) const {
  return Error::not_found(path_.string() + ": no tensor '" + std::string(name) + "'");
}

const SafetensorsFile* Checkpoint::file_of(std::string_view name) const {
  auto it = where_.find(name);
  return it == where_.end() ? nullptr : files_[it->second].get();
}

Result<TensorInfo> Checkpoint::info(std::string_view name) const {
  const SafetensorsFile* file = file_of(name);
  if (!file) return missing(name);
  return file->info(name);
}

Result<Tensor> Checkpoint::tensor(std::string_view name) const {
  const SafetensorsFile* file = file_of(name);
  if (!file) return missing(name);
  return file->tensor(name);
}

std::vector<std::string> Checkpoint::unused(const std::set<std::string>& used) const {
  std::vector<std::string> out;
  for (const auto& name : names_)
    if (!used.count(name)) out.push_back(name);
  return out;
}

}  // namespace dc
