#include "core/models/text/unicode_classes.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace dc::models::text::unicode {
namespace {

struct CodepointRange {
  char32_t first, last;
};
struct LowercaseRun {
  char32_t first, last;
  int32_t stride, delta;
};
struct CombiningClassRange {
  char32_t first, last;
  uint8_t ccc;
};
struct Decomposition {
  char32_t codepoint;
  uint16_t offset, length;
};
struct Composition {
  char32_t first, second, composite;
};
struct GraphemeBreakRange {
  char32_t first, last;
  GraphemeBreak value;
};
struct IndicConjunctBreakRange {
  char32_t first, last;
  IndicConjunctBreak value;
};

#include "core/models/text/unicode_tables.inc"

template <size_t N>
bool in_ranges(const CodepointRange (&ranges)[N], char32_t c) {
  const auto* it = std::upper_bound(std::begin(ranges), std::end(ranges), c,
                                    [](char32_t v, const CodepointRange& r) { return v < r.first; });
  return it != std::begin(ranges) && c <= std::prev(it)->last;
}

// The value of the range holding `c`, or `fallback`.
template <class Range, size_t N>
auto range_value(const Range (&ranges)[N], char32_t c, decltype(Range::value) fallback) {
  const auto* it = std::upper_bound(std::begin(ranges), std::end(ranges), c,
                                    [](char32_t v, const Range& r) { return v < r.first; });
  if (it == std::begin(ranges) || c > std::prev(it)->last) return fallback;
  return std::prev(it)->value;
}

// Hangul syllables compose and decompose by arithmetic (Unicode 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount;
constexpr char32_t kSCount = kLCount * kNCount;

uint8_t combining_class(char32_t c) {
  const auto* it = std::upper_bound(std::begin(kCombiningClasses), std::end(kCombiningClasses), c,
                                    [](char32_t v, const CombiningClassRange& r) { return v < r.first; });
  if (it == std::begin(kCombiningClasses)) return 0;
  --it;
  return c <= it->last ? it->ccc : 0;
}

void decompose(char32_t c, std::u32string& out) {
  if (c >= kSBase && c < kSBase + kSCount) {
    const char32_t s = c - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  const auto* it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), c,
                                    [](const Decomposition& d, char32_t v) { return d.codepoint < v; });
  if (it != std::end(kDecompositions) && it->codepoint == c) {
    out.append(kDecompositionPool + it->offset, it->length);
  } else {
    out.push_back(c);
  }
}

// The primary composite of (first, second), or 0.
char32_t compose(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount) {
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  }
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 && second > kTBase &&
      second < kTBase + kTCount) {
    return first + (second - kTBase);
  }
  const auto* it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), std::pair(first, second),
                                    [](const Composition& c, const std::pair<char32_t, char32_t>& v) {
                                      return std::pair(c.first, c.second) < v;
                                    });
  if (it != std::end(kCompositions) && it->first == first && it->second == second) return it->composite;
  return 0;
}

}  // namespace

bool is_letter(char32_t c) { return in_ranges(kLetterRanges, c); }
bool is_number(char32_t c) { return in_ranges(kNumberRanges, c); }
bool is_white_space(char32_t c) { return in_ranges(kWhiteSpaceRanges, c); }
bool is_extended_pictographic(char32_t c) { return in_ranges(kExtendedPictographic, c); }

GraphemeBreak grapheme_break(char32_t c) {
  if (c >= kSBase && c < kSBase + kSCount) {
    return (c - kSBase) % kTCount == 0 ? GraphemeBreak::kLV : GraphemeBreak::kLVT;
  }
  return range_value(kGraphemeBreaks, c, GraphemeBreak::kOther);
}

IndicConjunctBreak indic_conjunct_break(char32_t c) {
  return range_value(kIndicConjunctBreaks, c, IndicConjunctBreak::kNone);
}

bool is_python_space(char32_t c) { return (c >= 0x1C && c <= 0x1F) || is_white_space(c); }

void append_lowercase(std::u32string& out, char32_t c) {
  if (c == 0x130) {  // LATIN CAPITAL LETTER I WITH DOT ABOVE -> i + COMBINING DOT ABOVE
    out.push_back(U'i');
    out.push_back(0x307);
    return;
  }
  const auto* it = std::upper_bound(std::begin(kLowercase), std::end(kLowercase), c,
                                    [](char32_t v, const LowercaseRun& r) { return v < r.first; });
  if (it != std::begin(kLowercase)) {
    const LowercaseRun& r = *std::prev(it);
    if (c <= r.last && (c - r.first) % r.stride == 0) {
      out.push_back(static_cast<char32_t>(static_cast<int64_t>(c) + r.delta));
      return;
    }
  }
  out.push_back(c);
}

std::u32string to_nfc(std::u32string_view text) {
  std::u32string d;
  d.reserve(text.size());
  for (char32_t c : text) decompose(c, d);
  // Canonical ordering: a stable sort of every run of non-starters by combining class.
  for (size_t i = 0; i < d.size();) {
    if (combining_class(d[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < d.size() && combining_class(d[j]) != 0) ++j;
    std::stable_sort(d.begin() + i, d.begin() + j,
                     [](char32_t a, char32_t b) { return combining_class(a) < combining_class(b); });
    i = j;
  }
  // Canonical composition: a character joins the last starter unless a character between
  // them blocks it (a starter, or a class >= its own).
  std::u32string out;
  out.reserve(d.size());
  size_t starter = std::u32string::npos;
  uint8_t last_ccc = 0;
  for (char32_t c : d) {
    const uint8_t ccc = combining_class(c);
    if (starter != std::u32string::npos) {
      const bool adjacent = starter == out.size() - 1;
      if (adjacent || (last_ccc != 0 && last_ccc < ccc)) {
        if (const char32_t composite = compose(out[starter], c)) {
          out[starter] = composite;
          continue;
        }
      }
    }
    if (ccc == 0) starter = out.size();
    last_ccc = ccc;
    out.push_back(c);
  }
  return out;
}

}  // namespace dc::models::text::unicode
