// The T5 tokenizer of FLUX pipelines (the `tokenizer_2/` folder: spiece.model,
// tokenizer_config.json, special_tokens_map.json; tokenizer.json is not needed), giving the
// ids transformers 5's T5Tokenizer gives (transformers/models/t5/tokenization_t5.py). That class
// is a tokenizers pipeline built from the SentencePiece model's contents, and so is this one:
//   added tokens split out (</s>, <pad>, <unk>, the <extra_id_N> sentinels with their
//     lstrip/rstrip, SentencePiece control and user-defined pieces),
//   Precompiled normalizer (the model's nmt_nfkc charsmap, grapheme by grapheme),
//   WhitespaceSplit, Metaspace("▁", prepend always, split),
//   Unigram over pieces + sentinels (unknown id 2, as T5Tokenizer hard-codes), then </s>.
// libsentencepiece loads and validates spiece.model; its own encoder is not used because it
// differs from transformers in tie-breaking between equal-score segmentations ("..." as ". .."
// vs ".. .") and in normalizing combining sequences (longest match vs per grapheme).
// Vocabulary: the pieces, then <extra_id_{extra_ids-1}> ... <extra_id_0> (ids n_pieces, ...).
//
//   DC_TRY(T5Tokenizer t5, T5Tokenizer::load(root / "tokenizer_2"));
//   std::vector<int64_t> ids = t5.encode(prompt);   // 512 ids, as FluxPipeline
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/result.h"
#include "core/models/text/added_tokens.h"
#include "core/models/text/precompiled_charsmap.h"
#include "core/models/text/tokenize_options.h"
#include "core/models/text/unigram_model.h"

namespace dc::models::text {

class T5Tokenizer {
 public:
  // kNotFound: spiece.model missing; kFormat: spiece.model unreadable as a SentencePiece model,
  // or a malformed tokenizer_config.json / special_tokens_map.json (named in the message);
  // kNotSupported: an added token matched after normalization or single_word.
  static Result<T5Tokenizer> load(const std::filesystem::path& folder);

  // Invalid UTF-8 is replaced (utf8.h). DC_CHECKs that max_length (options or
  // model_max_length) is known and leaves room for </s>.
  std::vector<int64_t> encode(std::string_view text, const TokenizeOptions& options = {},
                              TruncationReport* report = nullptr) const;

  // transformers' decode: Metaspace decoder ("▁" -> " ", dropped in the first token), then
  // clean_up_tokenization when the folder asks for it.
  std::string decode(std::span<const int64_t> ids) const;

  int64_t eos_id() const { return eos_id_; }
  int64_t pad_id() const { return pad_id_; }
  int64_t model_max_length() const { return model_max_length_; }  // 0 when the folder sets none
  int64_t vocab_size() const { return vocab_size_; }               // pieces + sentinels + other added

 private:
  T5Tokenizer() = default;
  void encode_text(std::u32string_view text, std::vector<int64_t>& ids) const;

  UnigramModel unigram_;
  std::optional<PrecompiledCharsmap> charsmap_;
  AddedTokenMatcher added_tokens_;
  std::unordered_map<int64_t, std::string> added_by_id_;
  int64_t eos_id_ = 1, pad_id_ = 0;
  int64_t model_max_length_ = 0;
  int64_t vocab_size_ = 0;
  bool clean_up_tokenization_spaces_ = false;
};

}  // namespace dc::models::text
