// tokenizer_config.json and special_tokens_map.json of a transformers tokenizer folder, read as
// transformers 5 reads them (PreTrainedTokenizerBase._from_pretrained): the added tokens come
// from "added_tokens_decoder" with their flags; only when it is absent does the legacy
// special_tokens_map.json fill in the named special tokens. Both files are optional.
//
//   DC_TRY(TokenizerFolderConfig cfg, read_tokenizer_folder_config(dir));
//   std::string eos = cfg.special_token_or("eos_token", "</s>");
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/io/diffusers/config_reader.h"
#include "core/models/text/added_tokens.h"

namespace dc::models::text {

struct TokenizerFolderConfig {
  ConfigReader config;                      // tokenizer_config.json (an empty object when absent)
  std::optional<int64_t> model_max_length;  // unset when absent or transformers' "no limit" 1e30
  bool clean_up_tokenization_spaces = false;
  // Named special tokens by key ("bos_token" -> "<|startoftext|>"), present ones only.
  std::map<std::string, std::string> special_tokens;
  // "added_tokens_decoder" entries (id = the JSON key), then every named or additional special
  // token not among them (id -1, flags of AddedToken(content, special=True)). Empty contents
  // are dropped, as tokenizers ignores them.
  std::vector<AddedToken> added_tokens;

  std::string special_token_or(const std::string& key, const std::string& fallback) const;
};

// Errors (kFormat) name the file and key: "tokenizer/tokenizer_config.json: key
// 'added_tokens_decoder' entry '49406' must be an object, got string".
Result<TokenizerFolderConfig> read_tokenizer_folder_config(const std::filesystem::path& folder);

}  // namespace dc::models::text
