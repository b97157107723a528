// CLIPTokenizer's pre-tokenizer (transformers/models/clip/tokenization_clip.py), as two steps
// over normalized text:
//   1. Split(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+",
//            behavior="removed", invert=True): keep the matches, drop what lies between (spaces);
//   2. ByteLevel(add_prefix_space=False): GPT-2's split of each piece (it separates the "<|",
//      "startoftext", "|>" of a literal special token), then each UTF-8 byte -> one printable
//      character (GPT-2's bytes_to_unicode).
//
//   for (const std::string& word : clip_pre_tokenize(U"it's a cat")) bpe.encode_word(word, ids);
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dc::models::text {

// The byte-level words (UTF-8 strings of bytes_to_unicode characters) BPE sees.
std::vector<std::string> clip_pre_tokenize(std::u32string_view normalized);

// The byte a bytes_to_unicode character stands for, or -1 for any other code point.
int byte_of_byte_level_char(char32_t c);

}  // namespace dc::models::text
