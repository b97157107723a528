#include "core/models/text/precompiled_charsmap.h"

#include <cstring>

#include "core/models/text/grapheme_clusters.h"
#include "core/models/text/utf8.h"

namespace dc::models::text {
namespace {

// darts-clone's DoubleArrayUnit fields.
bool has_leaf(uint32_t unit) { return (unit >> 8) & 1; }
uint32_t value(uint32_t unit) { return unit & 0x7FFFFFFFu; }
uint32_t label(uint32_t unit) { return unit & 0x800000FFu; }
uint32_t offset(uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

}  // namespace

Result<PrecompiledCharsmap> PrecompiledCharsmap::parse(std::string_view blob, const std::string& context) {
  if (blob.size() < 4) return Error::format(context + ": precompiled_charsmap is shorter than its header");
  uint32_t trie_bytes = 0;
  for (int i = 3; i >= 0; --i) trie_bytes = (trie_bytes << 8) | static_cast<uint8_t>(blob[i]);
  if (trie_bytes % 4 != 0 || trie_bytes > blob.size() - 4 || trie_bytes == 0) {
    return Error::format(context + ": precompiled_charsmap has a bad trie size " + std::to_string(trie_bytes));
  }
  PrecompiledCharsmap map;
  map.units_.resize(trie_bytes / 4);
  for (size_t i = 0; i < map.units_.size(); ++i) {
    uint32_t u = 0;
    for (int b = 3; b >= 0; --b) u = (u << 8) | static_cast<uint8_t>(blob[4 + 4 * i + b]);
    map.units_[i] = u;
  }
  map.pool_ = std::string(blob.substr(4 + trie_bytes));
  return map;
}

std::optional<std::string_view> PrecompiledCharsmap::transform(std::string_view utf8) const {
  size_t node = offset(units_[0]);
  for (unsigned char c : utf8) {
    if (c == 0) break;
    node ^= c;
    if (node >= units_.size()) return std::nullopt;
    const uint32_t unit = units_[node];
    if (label(unit) != c) return std::nullopt;
    node ^= offset(unit);
    if (has_leaf(unit)) {
      if (node >= units_.size()) return std::nullopt;
      const size_t start = value(units_[node]);
      if (start >= pool_.size()) return std::nullopt;
      const size_t end = pool_.find('\0', start);
      return std::string_view(pool_).substr(start, (end == std::string::npos ? pool_.size() : end) - start);
    }
  }
  return std::nullopt;
}

std::u32string PrecompiledCharsmap::normalize(std::u32string_view text) const {
  std::string out;
  out.reserve(text.size());
  for (std::u32string_view grapheme : grapheme_clusters(text)) {
    const std::string bytes = encode_utf8(grapheme);
    if (bytes.size() < 6) {
      if (auto replacement = transform(bytes)) {
        out += *replacement;
        continue;
      }
    }
    for (char32_t c : grapheme) {
      std::string one;
      append_utf8(one, c);
      if (auto replacement = transform(one)) {
        out += *replacement;
      } else {
        out += one;
      }
    }
  }
  return decode_utf8_lossy(out);
}

}  // namespace dc::models::text
