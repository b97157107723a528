// The byte-pair-encoding model of tokenizers (tokenizers/src/models/bpe/{model,word}.rs) with
// the settings of transformers' CLIPTokenizer: end_of_word_suffix "</w>", no continuing-subword
// prefix, no dropout, unknown symbols not fused.
//
//   DC_TRY(BpeModel bpe, BpeModel::load(dir / "vocab.json", dir / "merges.txt", "</w>", "<|endoftext|>"));
//   bpe.encode_word("caf\xc3\x83\xc2\xa9", ids);   // one pre-token, in byte-level characters
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/result.h"

namespace dc::models::text {

class BpeModel {
 public:
  // vocab.json: {"token": id, ...}; merges.txt: "left right" per line, lines starting with
  // "#version" skipped. Every merge's two tokens and their concatenation must be in the vocab;
  // so must `unknown_token` when not empty. Errors name the file (and the line).
  static Result<BpeModel> load(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt,
                               std::string end_of_word_suffix, const std::string& unknown_token);

  // Appends the ids of one word (UTF-8; each code point is one initial symbol, the last one
  // with the end-of-word suffix). Symbols missing from the vocab become the unknown id.
  void encode_word(std::string_view word, std::vector<int64_t>& out) const;

  std::optional<int64_t> token_to_id(std::string_view token) const;
  const std::string* id_to_token(int64_t id) const;  // nullptr when no token has this id
  int64_t vocab_size() const { return static_cast<int64_t>(vocab_.size()); }

 private:
  struct MergeRule {
    uint32_t rank;
    int64_t merged_id;
  };
  static uint64_t pair_key(int64_t left, int64_t right) {
    return (static_cast<uint64_t>(left) << 32) | static_cast<uint64_t>(right);
  }

  std::unordered_map<std::string, int64_t> vocab_;
  std::unordered_map<int64_t, std::string> tokens_by_id_;
  std::unordered_map<uint64_t, MergeRule> merges_;
  std::string end_of_word_suffix_;
  std::optional<int64_t> unknown_id_;
};

}  // namespace dc::models::text
