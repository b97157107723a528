#include "core/models/text/added_tokens.h"

#include <algorithm>
#include <utility>

#include "core/base/assert.h"
#include "core/models/text/unicode_classes.h"

namespace dc::models::text {

AddedTokenMatcher::AddedTokenMatcher(std::vector<std::u32string> patterns, std::vector<AddedToken> tokens)
    : patterns_(std::move(patterns)), tokens_(std::move(tokens)) {
  DC_ASSERT(patterns_.size() == tokens_.size());
}

std::vector<TextPiece> AddedTokenMatcher::split(std::u32string_view text) const {
  std::vector<TextPiece> pieces;
  if (text.empty()) {
    pieces.push_back({0, 0, -1});
    return pieces;
  }
  size_t emitted = 0;  // text before this offset is already in `pieces`
  size_t search = 0;   // the next match starts here (after the previous raw match)
  while (search < text.size()) {
    size_t match_begin = text.size(), match_length = 0, match_token = 0;
    for (size_t pos = search; pos < text.size() && match_length == 0; ++pos) {
      for (size_t t = 0; t < patterns_.size(); ++t) {
        const std::u32string& p = patterns_[t];
        if (p.size() > match_length && text.substr(pos, p.size()) == p) {
          match_begin = pos;
          match_length = p.size();
          match_token = t;
        }
      }
    }
    if (match_length == 0) break;
    search = match_begin + match_length;
    const AddedToken& token = tokens_[match_token];
    // A pattern that starts with White_Space could begin inside the previous match's rstrip.
    size_t begin = std::max(match_begin, emitted), end = match_begin + match_length;
    if (token.lstrip) {
      while (begin > emitted && unicode::is_white_space(text[begin - 1])) --begin;
    }
    if (token.rstrip) {
      while (end < text.size() && unicode::is_white_space(text[end])) ++end;
    }
    if (emitted < begin) pieces.push_back({emitted, begin, -1});
    pieces.push_back({begin, end, token.id});
    emitted = end;
  }
  if (emitted != text.size()) pieces.push_back({emitted, text.size(), -1});
  return pieces;
}

}  // namespace dc::models::text
