// UTF-8 <-> Unicode code points, for the text tokenizers.
//
//   std::u32string text = decode_utf8_lossy(prompt);   // never fails
//   std::string bytes = encode_utf8(text);
//
// Prompts arrive as bytes from files, the command line and the UI; invalid UTF-8 must not
// stop a render. Each maximal ill-formed subpart becomes one U+FFFD (Unicode's recommended
// practice), which is what Python's bytes.decode("utf-8", errors="replace") and Rust's
// String::from_utf8_lossy do, so ids match transformers fed the same decoded string.
#pragma once

#include <string>
#include <string_view>

namespace dc::models::text {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes `bytes`; `replaced`, when given, receives the number of U+FFFD substituted.
std::u32string decode_utf8_lossy(std::string_view bytes, size_t* replaced = nullptr);

void append_utf8(std::string& out, char32_t c);
std::string encode_utf8(std::u32string_view text);

// Python's str.replace: every non-overlapping `from`, left to right, becomes `to`.
std::string replace_all(std::string_view text, std::string_view from, std::string_view to);

}  // namespace dc::models::text
