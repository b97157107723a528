#include "core/models/text/clip_pre_tokenizer.h"

#include <array>

#include "core/base/assert.h"
#include "core/models/text/unicode_classes.h"
#include "core/models/text/utf8.h"

namespace dc::models::text {
namespace {

using unicode::is_letter;
using unicode::is_number;
using unicode::is_white_space;

bool is_other(char32_t c) { return !is_white_space(c) && !is_letter(c) && !is_number(c); }

// The length of the contraction 's|'t|'re|'ve|'m|'ll|'d at `text[pos]`, or 0.
size_t contraction_at(std::u32string_view text, size_t pos) {
  for (std::u32string_view c : {U"'s", U"'t", U"'re", U"'ve", U"'m", U"'ll", U"'d"}) {
    if (text.substr(pos, c.size()) == c) return c.size();
  }
  return 0;
}

template <class Pred>
size_t run_of(std::u32string_view text, size_t pos, Pred pred) {
  size_t end = pos;
  while (end < text.size() && pred(text[end])) ++end;
  return end - pos;
}

// Step 1: the CLIP pattern, tried alternative by alternative at each position (Oniguruma is
// leftmost-first); a position where nothing matches (White_Space) is dropped.
std::vector<std::u32string_view> clip_split(std::u32string_view text) {
  std::vector<std::u32string_view> pieces;
  for (size_t pos = 0; pos < text.size();) {
    size_t n = 0;
    for (std::u32string_view literal : {U"<|startoftext|>", U"<|endoftext|>"}) {
      if (n == 0 && text.substr(pos, literal.size()) == literal) n = literal.size();
    }
    if (n == 0) n = contraction_at(text, pos);
    if (n == 0) n = run_of(text, pos, is_letter);
    if (n == 0 && is_number(text[pos])) n = 1;
    if (n == 0) n = run_of(text, pos, is_other);
    if (n == 0) {
      ++pos;
      continue;
    }
    pieces.push_back(text.substr(pos, n));
    pos += n;
  }
  return pieces;
}

// Step 2a: GPT-2's pattern 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// on one piece of step 1 (which holds no White_Space, so the space alternatives never apply).
void gpt2_split(std::u32string_view piece, std::vector<std::u32string_view>& out) {
  for (size_t pos = 0; pos < piece.size();) {
    DC_ASSERT(!is_white_space(piece[pos]));
    size_t n = contraction_at(piece, pos);
    if (n == 0) n = run_of(piece, pos, is_letter);
    if (n == 0) n = run_of(piece, pos, is_number);
    if (n == 0) n = run_of(piece, pos, is_other);
    out.push_back(piece.substr(pos, n));
    pos += n;
  }
}

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 bytes
// for U+0100 onwards, in byte order.
struct ByteLevelTable {
  std::array<std::string, 256> utf8_of_byte;
  std::array<int, 324> byte_of_char;  // indexed by code point (< U+0144)
  ByteLevelTable() {
    byte_of_char.fill(-1);
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      const char32_t c = printable ? static_cast<char32_t>(b) : next++;
      append_utf8(utf8_of_byte[b], c);
      byte_of_char[c] = b;
    }
  }
};

const ByteLevelTable& byte_level_table() {
  static const ByteLevelTable table;
  return table;
}

}  // namespace

std::vector<std::string> clip_pre_tokenize(std::u32string_view normalized) {
  std::vector<std::u32string_view> pieces;
  for (std::u32string_view piece : clip_split(normalized)) gpt2_split(piece, pieces);
  const ByteLevelTable& table = byte_level_table();
  std::vector<std::string> words;
  words.reserve(pieces.size());
  for (std::u32string_view piece : pieces) {
    std::string word;
    for (unsigned char b : encode_utf8(piece)) word += table.utf8_of_byte[b];
    words.push_back(std::move(word));
  }
  return words;
}

int byte_of_byte_level_char(char32_t c) {
  const ByteLevelTable& table = byte_level_table();
  return c < table.byte_of_char.size() ? table.byte_of_char[c] : -1;
}

}  // namespace dc::models::text
