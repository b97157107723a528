#include "core/project/schema_reader.h"

#include <cmath>
#include <limits>

#include "core/io/safetensors/json_util.h"

namespace dc::project {
namespace {

constexpr size_t kMaxListedProblems = 10;

// "0", "\"abc\"", "an array": what a message shows of an offending value.
std::string describe(const nlohmann::json& v) {
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  if (v.is_null()) return "null";
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string format_number(double v) {
  std::string s = nlohmann::json(v).dump();
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

}  // namespace

void SchemaProblems::add(std::string path, std::string what) { items_.push_back(path + ": " + what); }

Error SchemaProblems::to_error(std::string_view what) const {
  std::string message(what);
  if (items_.size() == 1) return Error::format(message + ": " + items_.front());
  message += ": " + std::to_string(items_.size()) + " problems: ";
  for (size_t i = 0; i < items_.size() && i < kMaxListedProblems; ++i) message += (i ? "; " : "") + items_[i];
  if (items_.size() > kMaxListedProblems) message += "; ...";
  return Error::format(message);
}

std::string json_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
}

std::string json_path(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

ObjectReader::ObjectReader(const nlohmann::json& value, std::string path, SchemaProblems& problems)
    : object_(value.is_object() ? &value : nullptr), path_(std::move(path)), problems_(problems) {
  if (!object_) problems_.add(path_.empty() ? "document" : path_, "must be an object, got " + describe(value));
}

bool ObjectReader::has(std::string_view key) const { return object_ && object_->contains(key); }

const nlohmann::json* ObjectReader::find(std::string_view key, bool required) {
  known_.insert(std::string(key));
  if (!object_) return nullptr;
  const auto it = object_->find(key);
  if (it == object_->end()) {
    if (required) problem(key, "is required");
    return nullptr;
  }
  return &*it;
}

std::string ObjectReader::string(std::string_view key, std::optional<std::string> fallback, bool allow_empty) {
  const nlohmann::json* v = find(key, !fallback);
  if (!v) return fallback.value_or("");
  if (!v->is_string()) {
    problem(key, "must be a string, got " + describe(*v));
    return fallback.value_or("");
  }
  std::string s = v->get<std::string>();
  if (!allow_empty && s.empty()) problem(key, "must not be empty");
  return s;
}

std::string ObjectReader::choice(std::string_view key, std::span<const std::string_view> allowed,
                                 std::optional<std::string> fallback) {
  const std::string otherwise = fallback.value_or(std::string(allowed.front()));
  const nlohmann::json* v = find(key, !fallback);
  if (!v) return otherwise;
  if (v->is_string()) {
    const std::string s = v->get<std::string>();
    for (std::string_view a : allowed)
      if (a == s) return s;
  }
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  problem(key, "must be one of " + list + ", got " + describe(*v));
  return otherwise;
}

int64_t ObjectReader::integer(std::string_view key, std::optional<int64_t> fallback, int64_t min, int64_t max) {
  const nlohmann::json* v = find(key, !fallback);
  if (!v) return fallback.value_or(min);
  const std::optional<int64_t> i = json_to_int64(*v);
  if (!i || *i < min || *i > max) {
    problem(key, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got " +
                     describe(*v));
    return fallback.value_or(min);
  }
  return *i;
}

uint64_t ObjectReader::unsigned_integer(std::string_view key, std::optional<uint64_t> fallback) {
  const nlohmann::json* v = find(key, !fallback);
  if (!v) return fallback.value_or(0);
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  problem(key, "must be an integer from 0 to 18446744073709551615, got " + describe(*v));
  return fallback.value_or(0);
}

double ObjectReader::number(std::string_view key, std::optional<double> fallback, double min, double max,
                            bool min_exclusive) {
  const nlohmann::json* v = find(key, !fallback);
  if (!v) return fallback.value_or(min);
  const double d = v->is_number() ? v->get<double>() : std::numeric_limits<double>::quiet_NaN();
  const bool low = min_exclusive ? !(d > min) : !(d >= min);
  if (!v->is_number() || std::isnan(d) || low || d > max) {
    const std::string range = min_exclusive ? "greater than " + format_number(min) + " and at most "
                                            : "from " + format_number(min) + " to ";
    problem(key, "must be a number " + range + format_number(max) + ", got " + describe(*v));
    return fallback.value_or(min);
  }
  return d;
}

const nlohmann::json* ObjectReader::array(std::string_view key, bool required) {
  const nlohmann::json* v = find(key, required);
  if (v && !v->is_array()) {
    problem(key, "must be an array, got " + describe(*v));
    return nullptr;
  }
  return v;
}

const nlohmann::json* ObjectReader::object(std::string_view key, bool required) {
  const nlohmann::json* v = find(key, required);
  if (v && !v->is_object()) {
    problem(key, "must be an object, got " + describe(*v));
    return nullptr;
  }
  return v;
}

void ObjectReader::reject_unknown_keys() {
  if (!object_) return;
  for (const auto& [key, value] : object_->items()) {
    if (!known_.contains(key)) problem(key, "unknown key");
  }
}

}  // namespace dc::project
