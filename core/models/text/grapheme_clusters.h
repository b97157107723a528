// Extended grapheme clusters (UAX #29, rules GB3-GB13 with GB9c), as the unicode-segmentation
// crate splits text for tokenizers' Precompiled normalizer (the T5 tokenizer's normalization).
//
//   for (std::u32string_view g : grapheme_clusters(text)) ...
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dc::models::text {

std::vector<std::u32string_view> grapheme_clusters(std::u32string_view text);

}  // namespace dc::models::text
