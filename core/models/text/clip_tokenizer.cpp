#include "core/models/text/clip_tokenizer.h"

#include <algorithm>
#include <unordered_map>

#include "core/base/assert.h"
#include "core/io/diffusers/config_reader.h"
#include "core/models/text/clip_pre_tokenizer.h"
#include "core/models/text/tokenizer_config.h"
#include "core/models/text/unicode_classes.h"
#include "core/models/text/utf8.h"

namespace dc::models::text {
namespace {

// CLIPTokenizer's normalizer: NFC, Replace(\s+, " "), Lowercase.
std::u32string clip_normalize(std::u32string_view text) {
  const std::u32string nfc = unicode::to_nfc(text);
  std::u32string out;
  out.reserve(nfc.size());
  for (size_t i = 0; i < nfc.size();) {
    if (unicode::is_white_space(nfc[i])) {
      out.push_back(U' ');
      while (i < nfc.size() && unicode::is_white_space(nfc[i])) ++i;
    } else {
      unicode::append_lowercase(out, nfc[i++]);
    }
  }
  return out;
}

std::u32string trim_python_spaces(std::u32string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && unicode::is_python_space(s[b])) ++b;
  while (e > b && unicode::is_python_space(s[e - 1])) --e;
  return std::u32string(s.substr(b, e - b));
}

}  // namespace

Result<ClipTokenizer> ClipTokenizer::load(const std::filesystem::path& folder) {
  DC_TRY(TokenizerFolderConfig cfg, read_tokenizer_folder_config(folder));
  // CLIPTokenizer's defaults for tokens the folder does not name.
  const std::string unk = cfg.special_token_or("unk_token", "<|endoftext|>");
  const std::string bos = cfg.special_token_or("bos_token", "<|startoftext|>");
  const std::string eos = cfg.special_token_or("eos_token", "<|endoftext|>");
  const std::string pad = cfg.special_token_or("pad_token", "<|endoftext|>");

  ClipTokenizer tok;
  DC_TRY(tok.bpe_, BpeModel::load(folder / "vocab.json", folder / "merges.txt", "</w>", unk));
  tok.model_max_length_ = cfg.model_max_length.value_or(0);

  std::vector<AddedToken> added = cfg.added_tokens;
  for (const std::string& name : {bos, eos, unk, pad}) {
    if (std::none_of(added.begin(), added.end(), [&](const AddedToken& t) { return t.content == name; })) {
      added.push_back({.content = name});
    }
  }
  // tokenizers gives an added token its vocab id when it has one, else the next free id.
  int64_t next_id = tok.bpe_.vocab_size();
  std::vector<std::u32string> raw_patterns, normalized_patterns;
  std::vector<AddedToken> raw_tokens, normalized_tokens;
  std::unordered_map<std::string, int64_t> id_by_content;
  for (AddedToken& token : added) {
    if (token.single_word) {
      return Error::not_supported(config_context(folder / "tokenizer_config.json") + ": added token '" +
                                  token.content + "' is single_word, which this tokenizer does not implement");
    }
    if (auto id = tok.bpe_.token_to_id(token.content)) {
      token.id = *id;
    } else if (token.id < tok.bpe_.vocab_size()) {
      token.id = next_id;
    }
    next_id = std::max(next_id, token.id + 1);
    tok.added_by_id_[token.id] = token.content;
    id_by_content[token.content] = token.id;
    const std::u32string content = decode_utf8_lossy(token.content);
    if (token.normalized) {
      normalized_patterns.push_back(clip_normalize(content));
      normalized_tokens.push_back(token);
    } else {
      raw_patterns.push_back(content);
      raw_tokens.push_back(token);
    }
  }
  tok.raw_tokens_ = AddedTokenMatcher(std::move(raw_patterns), std::move(raw_tokens));
  tok.normalized_tokens_ = AddedTokenMatcher(std::move(normalized_patterns), std::move(normalized_tokens));
  tok.bos_id_ = id_by_content.at(bos);  // all three were added above
  tok.eos_id_ = id_by_content.at(eos);
  tok.pad_id_ = id_by_content.at(pad);
  return tok;
}

int64_t ClipTokenizer::vocab_size() const {
  int64_t n = bpe_.vocab_size();
  for (const auto& [id, content] : added_by_id_) {
    if (!bpe_.token_to_id(content)) ++n;
  }
  return n;
}

void ClipTokenizer::encode_normalized(std::u32string_view text, std::vector<int64_t>& ids) const {
  for (const TextPiece& piece : normalized_tokens_.split(text)) {
    if (piece.id >= 0) {
      ids.push_back(piece.id);
      continue;
    }
    for (const std::string& word : clip_pre_tokenize(text.substr(piece.begin, piece.end - piece.begin))) {
      bpe_.encode_word(word, ids);
    }
  }
}

std::vector<int64_t> ClipTokenizer::encode(std::string_view text, const TokenizeOptions& options,
                                           TruncationReport* report) const {
  const std::u32string input = decode_utf8_lossy(text);
  std::vector<int64_t> content;
  for (const TextPiece& piece : raw_tokens_.split(input)) {
    if (piece.id >= 0) {
      content.push_back(piece.id);
    } else {
      encode_normalized(clip_normalize(std::u32string_view(input).substr(piece.begin, piece.end - piece.begin)),
                        content);
    }
  }
  const int64_t max_length = options.max_length > 0 ? options.max_length : model_max_length_;
  DC_CHECK(max_length > 0 || (!options.truncation && !options.pad_to_max_length),
           "CLIP tokenizer: no max_length given and the folder sets no model_max_length");
  const int64_t bos[] = {bos_id_}, eos[] = {eos_id_};
  const bool special = options.add_special_tokens;
  return assemble_sequence(special ? std::span<const int64_t>(bos) : std::span<const int64_t>(), std::move(content),
                           special ? std::span<const int64_t>(eos) : std::span<const int64_t>(), max_length,
                           options.truncation, options.pad_to_max_length, pad_id_, report);
}

std::string ClipTokenizer::decode(std::span<const int64_t> ids) const {
  // tokenizers' ByteLevel decoder: a token made only of bytes_to_unicode characters gives those
  // bytes, any other token its own UTF-8; the bytes are then read lossily.
  std::string bytes;
  for (int64_t id : ids) {
    const std::string* token = nullptr;
    if (auto it = added_by_id_.find(id); it != added_by_id_.end()) {
      token = &it->second;
    } else {
      token = bpe_.id_to_token(id);
    }
    if (!token) continue;  // unknown ids decode to nothing
    std::string token_bytes;
    bool byte_level = true;
    for (char32_t c : decode_utf8_lossy(*token)) {
      const int b = byte_of_byte_level_char(c);
      if (b < 0) {
        byte_level = false;
        break;
      }
      token_bytes.push_back(static_cast<char>(b));
    }
    bytes += byte_level ? token_bytes : *token;
  }
  // CLIPTokenizer then turns "</w>" into a space and strips (Python's str.strip).
  const std::string text = replace_all(encode_utf8(decode_utf8_lossy(bytes)), "</w>", " ");
  return encode_utf8(trim_python_spaces(decode_utf8_lossy(text)));
}

}  // namespace dc::models::text
