// Added tokens: strings matched in the prompt before the model's own tokenization and mapped
// straight to one id (<|endoftext|>, </s>, <extra_id_0>, ...), as tokenizers' AddedVocabulary
// does (tokenizers/src/tokenizer/added_vocabulary.rs).
//
//   AddedTokenMatcher m(tokens);   // the tokens of one kind (raw or normalized)
//   for (const TextPiece& p : m.split(text)) { if (p.id >= 0) ids.push_back(p.id); else ... }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dc::models::text {

struct AddedToken {
  std::string content;
  int64_t id = -1;
  bool lstrip = false;       // also consumes the White_Space run before it
  bool rstrip = false;       // ... and after it
  bool normalized = false;   // matched in the normalized text (else in the raw prompt)
  bool single_word = false;  // not supported by the matcher (no FLUX/SD folder uses it)
  bool special = true;
};

// A run of the text: an added token (id >= 0) or text left to the model (id == -1).
struct TextPiece {
  size_t begin = 0, end = 0;  // [begin, end) in the split text
  int64_t id = -1;
};

class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  // `patterns[i]` is what token i looks like in the text it is matched against.
  AddedTokenMatcher(std::vector<std::u32string> patterns, std::vector<AddedToken> tokens);

  bool empty() const { return patterns_.empty(); }

  // Leftmost-longest, non-overlapping matches (Aho-Corasick MatchKind::LeftmostLongest); a match
  // with lstrip/rstrip grows over the adjacent White_Space. The pieces cover `text` in order;
  // an empty text gives one empty text piece.
  std::vector<TextPiece> split(std::u32string_view text) const;

 private:
  std::vector<std::u32string> patterns_;
  std::vector<AddedToken> tokens_;
};

}  // namespace dc::models::text
