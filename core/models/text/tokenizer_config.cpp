#include "core/models/text/tokenizer_config.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace dc::models::text {
namespace {

using Json = nlohmann::json;

constexpr const char* kNamedSpecialTokens[] = {"bos_token", "eos_token", "unk_token", "sep_token",
                                               "pad_token", "cls_token", "mask_token"};

Result<ConfigReader> read_optional(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ConfigReader();
  return ConfigReader::from_file(path);
}

// A token given as "<s>" or as {"content": "<s>", "lstrip": false, ...}. Flags left out take
// tokenizers' AddedToken defaults: special as given, normalized = !special.
Result<AddedToken> parse_token(const Json& value, const std::string& where, bool special) {
  AddedToken token;
  token.special = special;
  token.normalized = !special;
  if (value.is_string()) {
    token.content = value.get<std::string>();
    return token;
  }
  if (!value.is_object()) return Error::format(where + " must be a string or an object, got " + value.type_name());
  auto content = value.find("content");
  if (content == value.end() || !content->is_string()) {
    return Error::format(where + " must have a string 'content'");
  }
  token.content = content->get<std::string>();
  struct Flag {
    const char* name;
    bool* field;
  };
  for (const Flag& f : {Flag{"lstrip", &token.lstrip}, Flag{"rstrip", &token.rstrip},
                        Flag{"normalized", &token.normalized}, Flag{"single_word", &token.single_word},
                        Flag{"special", &token.special}}) {
    auto it = value.find(f.name);
    if (it == value.end() || it->is_null()) continue;
    if (!it->is_boolean()) return Error::format(where + " flag '" + f.name + "' must be a boolean");
    *f.field = it->get<bool>();
  }
  if (value.find("normalized") == value.end()) token.normalized = !token.special;
  return token;
}

Status read_added_tokens_decoder(const ConfigReader& config, TokenizerFolderConfig& out) {
  const Json& decoder = config.json()["added_tokens_decoder"];
  const std::string where = config.context() + ": key 'added_tokens_decoder'";
  if (!decoder.is_object()) return Error::format(where + " must be an object");
  for (const auto& [key, value] : decoder.items()) {
    const std::string entry = where + " entry '" + key + "'";
    int64_t id = -1;
    try {
      size_t used = 0;
      id = std::stoll(key, &used);
      if (used != key.size() || id < 0) throw std::invalid_argument(key);
    } catch (const std::exception&) {
      return Error::format(entry + ": the key must be a token id");
    }
    DC_TRY(AddedToken token, parse_token(value, entry, /*special=*/false));
    token.id = id;
    if (!token.content.empty()) out.added_tokens.push_back(std::move(token));
  }
  return ok_status();
}

}  // namespace

std::string TokenizerFolderConfig::special_token_or(const std::string& key, const std::string& fallback) const {
  auto it = special_tokens.find(key);
  return it == special_tokens.end() ? fallback : it->second;
}

Result<TokenizerFolderConfig> read_tokenizer_folder_config(const std::filesystem::path& folder) {
  TokenizerFolderConfig out;
  DC_TRY(out.config, read_optional(folder / "tokenizer_config.json"));
  const ConfigReader& config = out.config;

  if (config.has("model_max_length")) {
    // transformers writes int(1e30) for "no limit"; that does not fit an int64.
    DC_TRY(double max_length, config.get_float("model_max_length"));
    if (max_length < 1) return Error::format(config.context() + ": key 'model_max_length' must be positive");
    if (max_length < 1e18) out.model_max_length = static_cast<int64_t>(max_length);
  }
  DC_TRY(out.clean_up_tokenization_spaces, config.get_bool_or("clean_up_tokenization_spaces", false));

  // Named and additional special tokens, as AddedTokens (flags when given as objects). The
  // legacy special_tokens_map.json overrides tokenizer_config.json key by key.
  std::map<std::string, AddedToken> named;
  std::vector<AddedToken> additional;
  auto take_named = [&](const ConfigReader& source) -> Status {
    for (const char* key : kNamedSpecialTokens) {
      if (!source.has(key)) continue;
      DC_TRY(AddedToken token, parse_token(source.json()[key], source.context() + ": key '" + key + "'", true));
      token.special = true;
      out.special_tokens[key] = token.content;
      named[key] = std::move(token);
    }
    for (const char* key : {"additional_special_tokens", "extra_special_tokens"}) {
      if (!source.has(key) || !source.json()[key].is_array()) continue;
      const Json& list = source.json()[key];
      for (size_t i = 0; i < list.size(); ++i) {
        DC_TRY(AddedToken token,
               parse_token(list[i], source.context() + ": key '" + key + "' entry " + std::to_string(i), true));
        token.special = true;
        additional.push_back(std::move(token));
      }
    }
    return ok_status();
  };
  DC_TRY_STATUS(take_named(config));
  if (config.has("added_tokens_decoder")) {
    DC_TRY_STATUS(read_added_tokens_decoder(config, out));
  } else {
    DC_TRY(ConfigReader special_map, read_optional(folder / "special_tokens_map.json"));
    DC_TRY_STATUS(take_named(special_map));
  }
  auto add_if_new = [&](AddedToken token) {
    const bool known = std::any_of(out.added_tokens.begin(), out.added_tokens.end(),
                                   [&](const AddedToken& t) { return t.content == token.content; });
    if (!known && !token.content.empty()) out.added_tokens.push_back(std::move(token));
  };
  for (const char* key : kNamedSpecialTokens) {
    if (auto it = named.find(key); it != named.end()) add_if_new(it->second);
  }
  for (AddedToken& token : additional) add_if_new(std::move(token));
  return out;
}

}  // namespace dc::models::text
