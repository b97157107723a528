// Typed, error-reporting access to a diffusers/transformers config.json.
//
//   DC_TRY(ConfigReader cfg, ConfigReader::from_file(dir / "config.json"));
//   DC_TRY(int64_t latent_channels, cfg.get_int("latent_channels"));
//   DC_TRY(auto norms, cfg.get_string_or_list_or("decoder_norm_types", n_blocks, "rms_norm"));
//
// Errors are kFormat and name the file and key, e.g.
// "vae/config.json: key 'latent_channels' must be an integer, got string";
// a required key that is absent is kNotFound. The `_or` variants return the
// fallback when the key is absent or null (diffusers writes null for unset
// optional arguments) and still fail on a present value of the wrong type.
// Integers are JSON integers only (2.0 is not an int); floats accept both.
// Copies are cheap: the parsed JSON is shared.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.h"

namespace dc {

class ConfigReader {
 public:
  ConfigReader();  // an empty object; every required key is missing

  // Reads and parses `path`; errors name it as "<folder>/<file>".
  static Result<ConfigReader> from_file(const std::filesystem::path& path);
  // `json` must be an object; `context` names it in errors ("vae/config.json").
  static Result<ConfigReader> from_json(const nlohmann::json& json, std::string context);
  static Result<ConfigReader> parse(std::string_view text, std::string context);

  const std::string& context() const { return context_; }
  const nlohmann::json& json() const { return *json_; }
  bool has(std::string_view key) const;  // present and not null
  std::vector<std::string> keys() const;

  Result<int64_t> get_int(std::string_view key) const;
  Result<int64_t> get_int_or(std::string_view key, int64_t fallback) const;
  Result<double> get_float(std::string_view key) const;
  Result<double> get_float_or(std::string_view key, double fallback) const;
  Result<bool> get_bool(std::string_view key) const;
  Result<bool> get_bool_or(std::string_view key, bool fallback) const;
  Result<std::string> get_string(std::string_view key) const;
  Result<std::string> get_string_or(std::string_view key, std::string_view fallback) const;
  Result<std::vector<int64_t>> get_int_list(std::string_view key) const;
  Result<std::vector<int64_t>> get_int_list_or(std::string_view key, std::vector<int64_t> fallback) const;
  Result<std::vector<std::string>> get_string_list(std::string_view key) const;
  Result<std::vector<std::string>> get_string_list_or(std::string_view key,
                                                      std::vector<std::string> fallback) const;
  // A list of integer lists, e.g. qkv_multiscales [[], [], [5], [5]].
  Result<std::vector<std::vector<int64_t>>> get_int_list_list(std::string_view key) const;
  Result<std::vector<std::vector<int64_t>>> get_int_list_list_or(std::string_view key,
                                                                 std::vector<std::vector<int64_t>> fallback) const;

  // diffusers accepts one string for every block or one per block
  // (decoder_norm_types: "rms_norm" or ["batch_norm", "rms_norm", ...]).
  // Returns `n` strings; a list must have exactly `n` entries.
  Result<std::vector<std::string>> get_string_or_list(std::string_view key, size_t n) const;
  Result<std::vector<std::string>> get_string_or_list_or(std::string_view key, size_t n,
                                                         std::string_view fallback) const;

  // kFormat naming this file and `key` unless value > 0 (sizes parsed from the config).
  Status check_positive(std::string_view key, int64_t value) const;
  Result<std::string> class_name() const;  // `_class_name`, or transformers' `architectures[0]`
  std::string diffusers_version() const;   // `_diffusers_version`, "" when absent

 private:
  // The value at `key`, or null if absent or JSON null.
  const nlohmann::json* find(std::string_view key) const;

  std::shared_ptr<const nlohmann::json> json_;
  std::string context_;
};

// "<parent folder>/<file name>" (or just the file name): how errors name config files.
std::string config_context(const std::filesystem::path& path);

}  // namespace dc
