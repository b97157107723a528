// tokenizers' Unigram model (tokenizers/src/models/unigram/model.rs) as transformers'
// T5Tokenizer builds it: every vocabulary entry can match (control pieces and sentinels too),
// the best segmentation comes from encode_optimized (ties keep the earliest-starting last
// piece), and a run of unknown code points becomes one unknown id.
//
//   UnigramModel unigram(std::move(vocab), /*unknown_id=*/2);
//   unigram.encode("\xE2\x96\x81cat", ids);   // "▁cat"
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dc::models::text {

class UnigramModel {
 public:
  UnigramModel() = default;
  // `vocab[id]` = (token, log-probability score); `unknown_id` < vocab.size().
  UnigramModel(std::vector<std::pair<std::string, double>> vocab, int64_t unknown_id);

  // Appends the ids of `text` (UTF-8, one Metaspace piece such as "▁cat").
  void encode(std::string_view text, std::vector<int64_t>& ids) const;

  // The id of `token` (the last one, if the vocabulary repeats it).
  std::optional<int64_t> token_to_id(std::string_view token) const;
  const std::string& token(int64_t id) const { return vocab_[static_cast<size_t>(id)].first; }
  int64_t size() const { return static_cast<int64_t>(vocab_.size()); }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::vector<std::pair<std::string, double>> vocab_;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> ids_;
  size_t longest_token_ = 0;  // bytes
  double unknown_score_ = 0;
  int64_t unknown_id_ = 0;
};

}  // namespace dc::models::text
