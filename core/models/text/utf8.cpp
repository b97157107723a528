#include "core/models/text/utf8.h"

#include <cstdint>

namespace dc::models::text {
namespace {

bool in(uint8_t b, uint8_t lo, uint8_t hi) { return b >= lo && b <= hi; }

// Unicode 15 Table 3-7 (well-formed UTF-8 byte sequences): the length a lead byte announces
// and the range its second byte must fall in; later bytes are always 80..BF.
struct Lead {
  int length = 0;  // 0: not a lead byte
  uint8_t second_lo = 0x80, second_hi = 0xBF;
};

Lead lead_of(uint8_t b) {
  if (in(b, 0xC2, 0xDF)) return {2};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (in(b, 0xE1, 0xEC) || in(b, 0xEE, 0xEF)) return {3};
  if (b == 0xED) return {3, 0x80, 0x9F};  // no surrogates
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (in(b, 0xF1, 0xF3)) return {4};
  if (b == 0xF4) return {4, 0x80, 0x8F};  // nothing above U+10FFFF
  return {};
}

}  // namespace

std::u32string decode_utf8_lossy(std::string_view bytes, size_t* replaced) {
  std::u32string out;
  out.reserve(bytes.size());
  size_t n_replaced = 0;
  size_t i = 0;
  while (i < bytes.size()) {
    const auto b0 = static_cast<uint8_t>(bytes[i]);
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    const Lead lead = lead_of(b0);
    // Consume the longest prefix of a well-formed sequence; if it is incomplete, that prefix
    // (the "maximal subpart") is replaced by one U+FFFD and decoding resumes after it.
    size_t taken = 1;
    char32_t c = lead.length == 2 ? (b0 & 0x1F) : lead.length == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    bool complete = lead.length != 0;
    for (int k = 1; complete && k < lead.length; ++k) {
      if (i + k >= bytes.size()) {
        complete = false;
        break;
      }
      const auto b = static_cast<uint8_t>(bytes[i + k]);
      const bool ok = k == 1 ? in(b, lead.second_lo, lead.second_hi) : in(b, 0x80, 0xBF);
      if (!ok) {
        complete = false;
        break;
      }
      c = (c << 6) | (b & 0x3F);
      ++taken;
    }
    if (complete) {
      out.push_back(c);
    } else {
      out.push_back(kReplacementCharacter);
      ++n_replaced;
    }
    i += taken;
  }
  if (replaced) *replaced = n_replaced;
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) append_utf8(out, c);
  return out;
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (size_t hit; (hit = text.find(from, pos)) != std::string_view::npos; pos = hit + from.size()) {
    out.append(text.substr(pos, hit - pos));
    out.append(to);
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace dc::models::text
