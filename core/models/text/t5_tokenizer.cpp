#include "core/models/text/t5_tokenizer.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/models/text/sentencepiece_model.h"
#include "core/models/text/tokenizer_config.h"
#include "core/models/text/unicode_classes.h"
#include "core/models/text/utf8.h"

namespace dc::models::text {
namespace {

constexpr char32_t kMetaspace = 0x2581;  // "▁", SentencePiece's visible space
constexpr int64_t kUnknownId = 2;        // T5Tokenizer: Unigram(vocab, unk_id=2)

}  // namespace

Result<T5Tokenizer> T5Tokenizer::load(const std::filesystem::path& folder) {
  const std::filesystem::path model_path = folder / "spiece.model";
  DC_TRY(SentencePieceModel model, SentencePieceModel::load(model_path));
  DC_TRY(TokenizerFolderConfig cfg, read_tokenizer_folder_config(folder));
  DC_TRY(int64_t extra_ids, cfg.config.get_int_or("extra_ids", 100));
  if (extra_ids < 0) return Error::format(cfg.config.context() + ": key 'extra_ids' must not be negative");
  const auto n_pieces = static_cast<int64_t>(model.pieces.size());
  if (n_pieces <= kUnknownId) {
    return Error::format(config_context(model_path) + ": has " + std::to_string(n_pieces) +
                         " pieces; T5 needs <pad>, </s>, <unk> at ids 0-2");
  }

  T5Tokenizer tok;
  tok.model_max_length_ = cfg.model_max_length.value_or(0);
  tok.clean_up_tokenization_spaces_ = cfg.clean_up_tokenization_spaces;
  if (!model.precompiled_charsmap.empty()) {
    DC_TRY(tok.charsmap_, PrecompiledCharsmap::parse(model.precompiled_charsmap, config_context(model_path)));
  }
  // T5Converter's vocabulary: the pieces, then the sentinels in reverse.
  std::vector<std::pair<std::string, double>> vocab;
  for (const auto& piece : model.pieces) vocab.emplace_back(piece.text, piece.score);
  for (int64_t i = extra_ids - 1; i >= 0; --i) vocab.emplace_back("<extra_id_" + std::to_string(i) + ">", 0.0);
  tok.unigram_ = UnigramModel(std::move(vocab), kUnknownId);

  const std::string eos = cfg.special_token_or("eos_token", "</s>");
  const std::string unk = cfg.special_token_or("unk_token", "<unk>");
  const std::string pad = cfg.special_token_or("pad_token", "<pad>");
  std::vector<AddedToken> added = cfg.added_tokens;
  auto ensure = [&](AddedToken token) {
    if (std::none_of(added.begin(), added.end(), [&](const AddedToken& t) { return t.content == token.content; })) {
      added.push_back(std::move(token));
    }
  };
  for (const std::string& name : {eos, unk, pad}) ensure({.content = name});
  // SentencePieceExtractor: control pieces are special added tokens, user-defined ones plain.
  for (const auto& piece : model.pieces) {
    using Type = SentencePieceModel::PieceType;
    if (piece.type == Type::kControl || piece.type == Type::kUserDefined) {
      ensure({.content = piece.text, .special = piece.type == Type::kControl});
    }
  }
  for (int64_t i = 0; i < extra_ids; ++i) ensure({.content = "<extra_id_" + std::to_string(i) + ">"});

  int64_t next_id = tok.unigram_.size();
  std::vector<std::u32string> patterns;
  for (AddedToken& token : added) {
    if (token.normalized || token.single_word) {
      return Error::not_supported(cfg.config.context() + ": added token '" + token.content + "' is " +
                                  (token.normalized ? "normalized" : "single_word") +
                                  ", which this tokenizer does not implement");
    }
    if (auto id = tok.unigram_.token_to_id(token.content)) {
      token.id = *id;
    } else if (token.id < tok.unigram_.size()) {
      token.id = next_id;
    }
    next_id = std::max(next_id, token.id + 1);
    tok.added_by_id_[token.id] = token.content;
    if (token.content == eos) tok.eos_id_ = token.id;
    if (token.content == pad) tok.pad_id_ = token.id;
    patterns.push_back(decode_utf8_lossy(token.content));
  }
  tok.vocab_size_ = next_id;
  tok.added_tokens_ = AddedTokenMatcher(std::move(patterns), std::move(added));
  return tok;
}

void T5Tokenizer::encode_text(std::u32string_view text, std::vector<int64_t>& ids) const {
  const std::u32string normalized = charsmap_ ? charsmap_->normalize(text) : std::u32string(text);
  // WhitespaceSplit, then Metaspace: each word gets a leading "▁" unless it has one, and is cut
  // before every "▁" it holds; each cut is one Unigram input.
  for (size_t i = 0; i < normalized.size();) {
    if (unicode::is_white_space(normalized[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < normalized.size() && !unicode::is_white_space(normalized[end])) ++end;
    std::u32string word(normalized.substr(i, end - i));
    if (word.front() != kMetaspace) word.insert(word.begin(), kMetaspace);
    for (size_t p = 0; p < word.size();) {
      size_t q = p + 1;
      while (q < word.size() && word[q] != kMetaspace) ++q;
      unigram_.encode(encode_utf8(std::u32string_view(word).substr(p, q - p)), ids);
      p = q;
    }
    i = end;
  }
}

std::vector<int64_t> T5Tokenizer::encode(std::string_view text, const TokenizeOptions& options,
                                         TruncationReport* report) const {
  const std::u32string input = decode_utf8_lossy(text);
  std::vector<int64_t> content;
  for (const TextPiece& piece : added_tokens_.split(input)) {
    if (piece.id >= 0) {
      content.push_back(piece.id);
    } else {
      encode_text(std::u32string_view(input).substr(piece.begin, piece.end - piece.begin), content);
    }
  }
  const int64_t max_length = options.max_length > 0 ? options.max_length : model_max_length_;
  DC_CHECK(max_length > 0 || (!options.truncation && !options.pad_to_max_length),
           "T5 tokenizer: no max_length given and the folder sets no model_max_length");
  const int64_t eos[] = {eos_id_};
  return assemble_sequence({}, std::move(content),
                           options.add_special_tokens ? std::span<const int64_t>(eos) : std::span<const int64_t>(),
                           max_length, options.truncation, options.pad_to_max_length, pad_id_, report);
}

std::string T5Tokenizer::decode(std::span<const int64_t> ids) const {
  std::string text;
  bool first = true;
  for (int64_t id : ids) {
    std::string token;
    if (auto it = added_by_id_.find(id); it != added_by_id_.end()) {
      token = it->second;
    } else if (id >= 0 && id < unigram_.size()) {
      token = unigram_.token(id);
    } else {
      continue;  // unknown ids decode to nothing
    }
    text += replace_all(token, "\xE2\x96\x81", first ? "" : " ");
    first = false;
  }
  if (clean_up_tokenization_spaces_) {
    // PreTrainedTokenizerBase.clean_up_tokenization: the same replacements in the same order.
    for (auto [from, to] : {std::pair{" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
                            {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}}) {
      text = replace_all(text, from, to);
    }
  }
  return text;
}

}  // namespace dc::models::text
