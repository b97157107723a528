// The CLIP tokenizer of FLUX/SD pipelines (the `tokenizer/` folder: vocab.json, merges.txt,
// tokenizer_config.json, special_tokens_map.json), giving the ids transformers 5's
// CLIPTokenizer gives (transformers/models/clip/tokenization_clip.py, a tokenizers pipeline):
//   added tokens split out (<|startoftext|> matched after normalization, <|endoftext|> before),
//   NFC, White_Space runs -> " ", lowercase,
//   split by 's|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+ (spaces dropped),
//   byte-level pre-tokenizer (GPT-2 split, bytes -> printable characters),
//   BPE with "</w>" on each word's last symbol, then <|startoftext|> ... <|endoftext|>.
// ftfy is not applied (transformers 5 does not either).
//
//   DC_TRY(ClipTokenizer clip, ClipTokenizer::load(root / "tokenizer"));
//   TruncationReport cut;
//   std::vector<int64_t> ids = clip.encode(prompt, {}, &cut);   // 77 ids, as FluxPipeline
//   if (cut.dropped_tokens) log_warn("truncated: " + clip.decode(cut.dropped_ids));
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/base/result.h"
#include "core/models/text/added_tokens.h"
#include "core/models/text/bpe_model.h"
#include "core/models/text/tokenize_options.h"

namespace dc::models::text {

class ClipTokenizer {
 public:
  // kNotFound: vocab.json or merges.txt missing; kFormat: a malformed file (named in the
  // message); kNotSupported: an added token with single_word.
  static Result<ClipTokenizer> load(const std::filesystem::path& folder);

  // Invalid UTF-8 is replaced (utf8.h). DC_CHECKs that max_length (options or
  // model_max_length) is known and leaves room for the two special tokens.
  std::vector<int64_t> encode(std::string_view text, const TokenizeOptions& options = {},
                              TruncationReport* report = nullptr) const;

  // The text of `ids` as transformers decodes it (byte-level decoder, "</w>" -> " ", strip).
  std::string decode(std::span<const int64_t> ids) const;

  int64_t bos_id() const { return bos_id_; }
  int64_t eos_id() const { return eos_id_; }
  int64_t pad_id() const { return pad_id_; }
  int64_t model_max_length() const { return model_max_length_; }  // 0 when the folder sets none
  int64_t vocab_size() const;

 private:
  ClipTokenizer() = default;
  void encode_normalized(std::u32string_view text, std::vector<int64_t>& ids) const;

  BpeModel bpe_;
  AddedTokenMatcher raw_tokens_;         // added tokens matched in the prompt as typed
  AddedTokenMatcher normalized_tokens_;  // added tokens matched after normalization
  std::unordered_map<int64_t, std::string> added_by_id_;
  int64_t bos_id_ = 0, eos_id_ = 0, pad_id_ = 0;
  int64_t model_max_length_ = 0;
};

}  // namespace dc::models::text
