#include "core/models/text/tokenize_options.h"

#include "core/base/assert.h"

namespace dc::models::text {

std::vector<int64_t> assemble_sequence(std::span<const int64_t> prefix, std::vector<int64_t> content,
                                       std::span<const int64_t> suffix, int64_t max_length, bool truncation,
                                       bool pad, int64_t pad_id, TruncationReport* report) {
  const auto n_special = static_cast<int64_t>(prefix.size() + suffix.size());
  if (report) *report = {};
  if (truncation) {
    DC_CHECK(max_length >= n_special, "tokenizer: max_length " << max_length << " leaves no room for the "
                                                               << n_special << " special tokens");
    const int64_t keep = max_length - n_special;
    if (static_cast<int64_t>(content.size()) > keep) {
      if (report) {
        report->dropped_ids.assign(content.begin() + keep, content.end());
        report->dropped_tokens = static_cast<int64_t>(report->dropped_ids.size());
      }
      content.resize(static_cast<size_t>(keep));
    }
  }
  std::vector<int64_t> ids(prefix.begin(), prefix.end());
  ids.insert(ids.end(), content.begin(), content.end());
  ids.insert(ids.end(), suffix.begin(), suffix.end());
  if (pad && static_cast<int64_t>(ids.size()) < max_length) ids.resize(static_cast<size_t>(max_length), pad_id);
  return ids;
}

}  // namespace dc::models::text
