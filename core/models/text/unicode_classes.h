// The Unicode properties and normalization the CLIP and T5 tokenizers need, with the data
// of the reference (tokenizers' Oniguruma regexes and normalizers), measured and generated
// by tests/reference/make_unicode_tables.py into unicode_tables.inc.
//
//   std::u32string t = unicode::to_nfc(text);
//   if (unicode::is_letter(t[0])) ...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dc::models::text::unicode {

bool is_letter(char32_t c);       // \p{L}
bool is_number(char32_t c);       // \p{N}
bool is_white_space(char32_t c);  // White_Space: regex \s, Rust char::is_whitespace

// Python's str.isspace (White_Space plus U+001C..U+001F), for str.strip() of decoded text.
bool is_python_space(char32_t c);

// tokenizers' Lowercase normalizer, one code point at a time (no context: final sigma is σ).
void append_lowercase(std::u32string& out, char32_t c);

// Canonical composition (NFC) as tokenizers' NFC normalizer computes it.
std::u32string to_nfc(std::u32string_view text);

// UAX #29 properties, for grapheme_clusters.h.
enum class GraphemeBreak : uint8_t {
  kOther, kCR, kLF, kControl, kExtend, kZWJ, kRegionalIndicator, kPrepend, kSpacingMark, kL, kV, kT, kLV, kLVT,
};
enum class IndicConjunctBreak : uint8_t { kNone, kLinker, kConsonant, kExtend };
GraphemeBreak grapheme_break(char32_t c);
IndicConjunctBreak indic_conjunct_break(char32_t c);
bool is_extended_pictographic(char32_t c);

}  // namespace dc::models::text::unicode
