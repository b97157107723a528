#include "core/models/text/unigram_model.h"

#include <algorithm>
#include <limits>
#include <optional>

#include "core/base/assert.h"

namespace dc::models::text {
namespace {

// tokenizers' K_UNK_PENALTY: an unknown code point scores this far below the rarest piece.
constexpr double kUnknownPenalty = 10.0;

size_t utf8_length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

}  // namespace

UnigramModel::UnigramModel(std::vector<std::pair<std::string, double>> vocab, int64_t unknown_id)
    : vocab_(std::move(vocab)), unknown_id_(unknown_id) {
  DC_ASSERT(unknown_id_ >= 0 && unknown_id_ < static_cast<int64_t>(vocab_.size()));
  double min_score = std::numeric_limits<double>::infinity();
  for (size_t id = 0; id < vocab_.size(); ++id) {
    ids_[vocab_[id].first] = static_cast<int64_t>(id);
    longest_token_ = std::max(longest_token_, vocab_[id].first.size());
    min_score = std::min(min_score, vocab_[id].second);
  }
  unknown_score_ = min_score - kUnknownPenalty;
}

std::optional<int64_t> UnigramModel::token_to_id(std::string_view token) const {
  auto it = ids_.find(token);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void UnigramModel::encode(std::string_view text, std::vector<int64_t>& ids) const {
  if (text.empty()) return;
  // best[i]: the best segmentation of text[0, i), by its last token.
  struct Best {
    int64_t id = 0;
    double score = 0;
    int64_t start = -1;  // -1: not reached yet
  };
  std::vector<Best> best(text.size() + 1);
  auto offer = [&](size_t end, size_t start, int64_t id, double score) {
    Best& b = best[end];
    if (b.start < 0 || score > b.score) b = {id, score, static_cast<int64_t>(start)};
  };
  for (size_t start = 0; start < text.size();) {
    const double so_far = best[start].score;
    const size_t char_bytes = std::min(utf8_length(static_cast<unsigned char>(text[start])), text.size() - start);
    bool has_single_char_token = false;
    const size_t longest = std::min(longest_token_, text.size() - start);
    for (size_t n = 1; n <= longest; ++n) {
      auto it = ids_.find(text.substr(start, n));
      if (it == ids_.end()) continue;
      offer(start + n, start, it->second, so_far + vocab_[static_cast<size_t>(it->second)].second);
      has_single_char_token |= n == char_bytes;
    }
    if (!has_single_char_token) offer(start + char_bytes, start, unknown_id_, so_far + unknown_score_);
    start += char_bytes;
  }
  // Walk back; consecutive unknown pieces are fused and the fused text looked up again.
  std::vector<std::string_view> tokens;
  size_t fused_begin = std::string_view::npos, fused_end = 0;
  for (size_t end = text.size(); end > 0;) {
    const Best& b = best[end];
    const auto start = static_cast<size_t>(b.start);
    if (b.id == unknown_id_) {
      if (fused_begin == std::string_view::npos) fused_end = end;
      fused_begin = start;
    } else {
      if (fused_begin != std::string_view::npos) tokens.push_back(text.substr(fused_begin, fused_end - fused_begin));
      fused_begin = std::string_view::npos;
      tokens.push_back(text.substr(start, end - start));
    }
    end = start;
  }
  if (fused_begin != std::string_view::npos) tokens.push_back(text.substr(fused_begin, fused_end - fused_begin));
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) ids.push_back(token_to_id(*it).value_or(unknown_id_));
}

}  // namespace dc::models::text
