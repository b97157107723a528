// Typed, path-naming reads of JSON objects for schema checks (project files,
// render records). Each read records a problem instead of failing, so one pass
// reports every mistake in a file; callers turn the problems into one Error.
//
//   SchemaProblems problems;
//   ObjectReader r(doc["shots"][3], "shots[3]", problems);
//   shot.steps = r.integer("steps", 20, 1, 1000);  // "shots[3].steps: must be an integer from 1 to 1000, got 0"
//   r.reject_unknown_keys();
//   if (!problems.empty()) return problems.to_error("film.dcproj");
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace dc::project {

class SchemaProblems {
 public:
  void add(std::string path, std::string what);
  bool empty() const { return items_.empty(); }
  const std::vector<std::string>& items() const { return items_; }
  // kFormat: "<what>: <path>: <problem>" or, for several, a count and the first 10.
  Error to_error(std::string_view what) const;

 private:
  std::vector<std::string> items_;
};

// "shots[3]" + "steps" -> "shots[3].steps"; a top-level path is the key alone.
std::string json_path(std::string_view parent, std::string_view key);
std::string json_path(std::string_view parent, size_t index);

class ObjectReader {
 public:
  // A non-object value is recorded as a problem; every read then yields its fallback.
  ObjectReader(const nlohmann::json& value, std::string path, SchemaProblems& problems);

  bool is_object() const { return object_ != nullptr; }
  bool has(std::string_view key) const;
  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return json_path(path_, key); }
  void problem(std::string_view key, std::string what) { problems_.add(path_of(key), std::move(what)); }

  // Each read marks the key as known. Without a fallback the key is required.
  std::string string(std::string_view key, std::optional<std::string> fallback = std::nullopt,
                     bool allow_empty = true);
  // One of `allowed`.
  std::string choice(std::string_view key, std::span<const std::string_view> allowed,
                     std::optional<std::string> fallback = std::nullopt);
  int64_t integer(std::string_view key, std::optional<int64_t> fallback, int64_t min, int64_t max);
  uint64_t unsigned_integer(std::string_view key, std::optional<uint64_t> fallback = std::nullopt);
  // `min_exclusive`: the value must be greater than min.
  double number(std::string_view key, std::optional<double> fallback, double min, double max,
                bool min_exclusive = false);
  // The array or object at key (nullptr when absent and optional, or of the wrong type).
  const nlohmann::json* array(std::string_view key, bool required);
  const nlohmann::json* object(std::string_view key, bool required);

  // Marks a key read elsewhere (e.g. "format", checked before migration).
  void mark_known(std::string_view key) { known_.insert(std::string(key)); }
  // Every key not read is a problem ("shots[0].stesp: unknown key").
  void reject_unknown_keys();

 private:
  const nlohmann::json* find(std::string_view key, bool required);

  const nlohmann::json* object_;
  std::string path_;
  SchemaProblems& problems_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace dc::project
