#include "core/models/text/grapheme_clusters.h"

#include "core/models/text/unicode_classes.h"

namespace dc::models::text {
namespace {

using unicode::GraphemeBreak;
using unicode::IndicConjunctBreak;

// What the rules that look further back than one code point need to know about the text so far.
struct History {
  int regional_indicators = 0;  // RI code points just before (GB12/GB13)
  int emoji = 0;                // 1: ExtPict Extend* just before; 2: ... then ZWJ (GB11)
  int conjunct = 0;             // 1: InCB Consonant [Extend|Linker]* before; 2: with a Linker (GB9c)

  void push(char32_t c, GraphemeBreak gb) {
    regional_indicators = gb == GraphemeBreak::kRegionalIndicator ? regional_indicators + 1 : 0;
    if (unicode::is_extended_pictographic(c)) {
      emoji = 1;
    } else if (emoji == 1 && gb == GraphemeBreak::kExtend) {
      emoji = 1;
    } else if (emoji == 1 && gb == GraphemeBreak::kZWJ) {
      emoji = 2;
    } else {
      emoji = 0;
    }
    const IndicConjunctBreak incb = unicode::indic_conjunct_break(c);
    if (incb == IndicConjunctBreak::kConsonant) {
      conjunct = 1;
    } else if (conjunct > 0 && incb == IndicConjunctBreak::kLinker) {
      conjunct = 2;
    } else if (conjunct > 0 && incb == IndicConjunctBreak::kExtend) {
      // stays
    } else {
      conjunct = 0;
    }
  }
};

bool is_control(GraphemeBreak gb) {
  return gb == GraphemeBreak::kControl || gb == GraphemeBreak::kCR || gb == GraphemeBreak::kLF;
}

// Whether there is a boundary between `prev` and `c` (UAX #29 section 3.1.1, in rule order).
bool is_boundary(GraphemeBreak prev, char32_t c, GraphemeBreak gb, const History& h) {
  using G = GraphemeBreak;
  if (prev == G::kCR && gb == G::kLF) return false;                                            // GB3
  if (is_control(prev) || is_control(gb)) return true;                                         // GB4, GB5
  if (prev == G::kL && (gb == G::kL || gb == G::kV || gb == G::kLV || gb == G::kLVT)) return false;  // GB6
  if ((prev == G::kLV || prev == G::kV) && (gb == G::kV || gb == G::kT)) return false;         // GB7
  if ((prev == G::kLVT || prev == G::kT) && gb == G::kT) return false;                         // GB8
  if (gb == G::kExtend || gb == G::kZWJ || gb == G::kSpacingMark) return false;                // GB9, GB9a
  if (prev == G::kPrepend) return false;                                                       // GB9b
  if (h.conjunct == 2 && unicode::indic_conjunct_break(c) == IndicConjunctBreak::kConsonant) return false;  // GB9c
  if (h.emoji == 2 && unicode::is_extended_pictographic(c)) return false;                      // GB11
  if (prev == G::kRegionalIndicator && gb == G::kRegionalIndicator && h.regional_indicators % 2 == 1) {
    return false;                                                                              // GB12, GB13
  }
  return true;                                                                                 // GB999
}

}  // namespace

std::vector<std::u32string_view> grapheme_clusters(std::u32string_view text) {
  std::vector<std::u32string_view> clusters;
  History history;
  GraphemeBreak prev = GraphemeBreak::kOther;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const GraphemeBreak gb = unicode::grapheme_break(text[i]);
    if (i > 0 && is_boundary(prev, text[i], gb, history)) {
      clusters.push_back(text.substr(start, i - start));
      start = i;
    }
    history.push(text[i], gb);
    prev = gb;
  }
  if (start < text.size()) clusters.push_back(text.substr(start));
  return clusters;
}

}  // namespace dc::models::text
