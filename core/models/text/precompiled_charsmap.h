// SentencePiece's precompiled normalization map (NormalizerSpec.precompiled_charsmap: a
// darts-clone double-array trie from UTF-8 keys to offsets in a pool of NUL-terminated
// replacements), applied the way tokenizers' Precompiled normalizer applies it
// (tokenizers/src/normalizers/precompiled.rs, spm_precompiled): per extended grapheme cluster,
// a cluster under 6 bytes is replaced whole by the rule of the shortest key that prefixes it;
// otherwise each code point is looked up alone. This is what transformers' T5Tokenizer runs,
// and it differs from SentencePiece's own longest-match normalizer on combining sequences.
//
//   DC_TRY(PrecompiledCharsmap map, PrecompiledCharsmap::parse(blob, "tokenizer_2/spiece.model"));
//   std::u32string normalized = map.normalize(text);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace dc::models::text {

class PrecompiledCharsmap {
 public:
  // `blob`: uint32 little-endian trie size in bytes, the trie units, the replacement pool.
  // kFormat errors name `context`.
  static Result<PrecompiledCharsmap> parse(std::string_view blob, const std::string& context);

  std::u32string normalize(std::u32string_view text) const;

 private:
  // The replacement under the shortest key that is a prefix of `utf8`, if any.
  std::optional<std::string_view> transform(std::string_view utf8) const;

  std::vector<uint32_t> units_;
  std::string pool_;
};

}  // namespace dc::models::text
