#include "core/io/diffusers/config_reader.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "core/io/safetensors/json_util.h"

namespace dc {
namespace {

using Json = nlohmann::json;

// Each converter returns the value or nullopt, setting `got` to what was found
// instead when that is more useful than the JSON type alone.
std::optional<int64_t> to_int(const Json& v, std::string&) { return json_to_int64(v); }

std::optional<double> to_float(const Json& v, std::string&) {
  if (!v.is_number()) return std::nullopt;
  return v.get<double>();
}

std::optional<bool> to_bool(const Json& v, std::string&) {
  if (!v.is_boolean()) return std::nullopt;
  return v.get<bool>();
}

std::optional<std::string> to_string(const Json& v, std::string&) {
  if (!v.is_string()) return std::nullopt;
  return v.get<std::string>();
}

template <class T, class Element>
std::optional<std::vector<T>> to_list(const Json& v, std::string& got, Element element) {
  if (!v.is_array()) return std::nullopt;
  std::vector<T> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    std::string inner;
    auto e = element(v[i], inner);
    if (!e) {
      got = "array whose element " + std::to_string(i) + " is " +
            (inner.empty() ? std::string(json_type_name(v[i])) : inner);
      return std::nullopt;
    }
    out.push_back(std::move(*e));
  }
  return out;
}

std::optional<std::vector<int64_t>> to_int_list(const Json& v, std::string& got) {
  return to_list<int64_t>(v, got, to_int);
}

std::optional<std::vector<std::string>> to_string_list(const Json& v, std::string& got) {
  return to_list<std::string>(v, got, to_string);
}

std::optional<std::vector<std::vector<int64_t>>> to_int_list_list(const Json& v, std::string& got) {
  return to_list<std::vector<int64_t>>(v, got, to_int_list);
}

// Shared body of every getter: absent -> kNotFound; present with the wrong type
// (JSON null included) -> kFormat naming file, key, the wanted and the found type.
template <class T, class Convert>
Result<T> get_value(const Json& root, const std::string& context, std::string_view key, std::string_view want,
                    Convert convert) {
  auto it = root.find(std::string(key));
  if (it == root.end()) return Error::not_found(context + ": missing key '" + std::string(key) + "'");
  std::string got;
  if (auto v = convert(*it, got)) return std::move(*v);
  if (got.empty()) got = json_type_name(*it);
  return Error::format(context + ": key '" + std::string(key) + "' must be " + std::string(want) + ", got " + got);
}

}  // namespace

std::string config_context(const std::filesystem::path& path) {
  const auto folder = path.parent_path().filename();
  return folder.empty() ? path.filename().string() : (folder / path.filename()).string();
}

ConfigReader::ConfigReader() : json_(std::make_shared<const Json>(Json::object())) {}

Result<ConfigReader> ConfigReader::from_file(const std::filesystem::path& path) {
  DC_TRY(Json j, read_json_file(path));
  return from_json(j, config_context(path));
}

Result<ConfigReader> ConfigReader::from_json(const Json& j, std::string context) {
  if (!j.is_object())
    return Error::format(context + ": must be a JSON object, got " + std::string(json_type_name(j)));
  ConfigReader r;
  r.json_ = std::make_shared<const Json>(j);
  r.context_ = std::move(context);
  return r;
}

Result<ConfigReader> ConfigReader::parse(std::string_view text, std::string context) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    return Error::format(context + ": invalid JSON: " + e.what());
  }
  return from_json(j, std::move(context));
}

const Json* ConfigReader::find(std::string_view key) const {
  auto it = json_->find(std::string(key));
  if (it == json_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool ConfigReader::has(std::string_view key) const { return find(key) != nullptr; }

std::vector<std::string> ConfigReader::keys() const {
  std::vector<std::string> out;
  for (const auto& item : json_->items()) out.push_back(item.key());
  return out;
}

Result<int64_t> ConfigReader::get_int(std::string_view key) const {
  return get_value<int64_t>(*json_, context_, key, "an integer", to_int);
}
Result<double> ConfigReader::get_float(std::string_view key) const {
  return get_value<double>(*json_, context_, key, "a number", to_float);
}
Result<bool> ConfigReader::get_bool(std::string_view key) const {
  return get_value<bool>(*json_, context_, key, "a boolean", to_bool);
}
Result<std::string> ConfigReader::get_string(std::string_view key) const {
  return get_value<std::string>(*json_, context_, key, "a string", to_string);
}
Result<std::vector<int64_t>> ConfigReader::get_int_list(std::string_view key) const {
  return get_value<std::vector<int64_t>>(*json_, context_, key, "a list of integers", to_int_list);
}
Result<std::vector<std::string>> ConfigReader::get_string_list(std::string_view key) const {
  return get_value<std::vector<std::string>>(*json_, context_, key, "a list of strings", to_string_list);
}
Result<std::vector<std::vector<int64_t>>> ConfigReader::get_int_list_list(std::string_view key) const {
  return get_value<std::vector<std::vector<int64_t>>>(*json_, context_, key, "a list of lists of integers",
                                                      to_int_list_list);
}

Result<int64_t> ConfigReader::get_int_or(std::string_view key, int64_t fallback) const {
  return has(key) ? get_int(key) : fallback;
}
Result<double> ConfigReader::get_float_or(std::string_view key, double fallback) const {
  return has(key) ? get_float(key) : fallback;
}
Result<bool> ConfigReader::get_bool_or(std::string_view key, bool fallback) const {
  return has(key) ? get_bool(key) : fallback;
}
Result<std::string> ConfigReader::get_string_or(std::string_view key, std::string_view fallback) const {
  return has(key) ? get_string(key) : std::string(fallback);
}
Result<std::vector<int64_t>> ConfigReader::get_int_list_or(std::string_view key,
                                                           std::vector<int64_t> fallback) const {
  return has(key) ? get_int_list(key) : std::move(fallback);
}
Result<std::vector<std::string>> ConfigReader::get_string_list_or(std::string_view key,
                                                                  std::vector<std::string> fallback) const {
  return has(key) ? get_string_list(key) : std::move(fallback);
}
Result<std::vector<std::vector<int64_t>>> ConfigReader::get_int_list_list_or(
    std::string_view key, std::vector<std::vector<int64_t>> fallback) const {
  return has(key) ? get_int_list_list(key) : std::move(fallback);
}

Result<std::vector<std::string>> ConfigReader::get_string_or_list(std::string_view key, size_t n) const {
  auto it = json_->find(std::string(key));
  if (it != json_->end() && it->is_string()) return std::vector<std::string>(n, it->get<std::string>());
  DC_TRY(auto list, get_value<std::vector<std::string>>(*json_, context_, key, "a string or a list of strings",
                                                        to_string_list));
  if (list.size() != n)
    return Error::format(context_ + ": key '" + std::string(key) + "' has " + std::to_string(list.size()) +
                         " entries, expected " + std::to_string(n) + " (one per block)");
  return list;
}

Result<std::vector<std::string>> ConfigReader::get_string_or_list_or(std::string_view key, size_t n,
                                                                     std::string_view fallback) const {
  if (!has(key)) return std::vector<std::string>(n, std::string(fallback));
  return get_string_or_list(key, n);
}

Status ConfigReader::check_positive(std::string_view key, int64_t value) const {
  if (value > 0) return {};
  return Error::format(context_ + ": " + std::string(key) + " must be positive, got " + std::to_string(value));
}

Result<std::string> ConfigReader::class_name() const {
  if (has("_class_name")) return get_string("_class_name");
  // transformers configs name the class in "architectures": ["CLIPTextModel"].
  const Json* arch = find("architectures");
  if (arch && arch->is_array() && arch->size() == 1 && (*arch)[0].is_string()) return (*arch)[0].get<std::string>();
  return Error::not_found(context_ + ": neither '_class_name' (diffusers) nor a one-entry 'architectures' (transformers)");
}

std::string ConfigReader::diffusers_version() const {
  const Json* v = find("_diffusers_version");
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace dc
