#include "core/models/text/bpe_model.h"

#include <fstream>
#include <queue>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/io/diffusers/config_reader.h"

namespace dc::models::text {
namespace {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Error::not_found(config_context(path) + ": file not found");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Error::io(config_context(path) + ": cannot read the file");
  return text.str();
}

size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

}  // namespace

Result<BpeModel> BpeModel::load(const std::filesystem::path& vocab_json, const std::filesystem::path& merges_txt,
                                std::string end_of_word_suffix, const std::string& unknown_token) {
  BpeModel model;
  model.end_of_word_suffix_ = std::move(end_of_word_suffix);
  const std::string vocab_name = config_context(vocab_json);
  DC_TRY(std::string vocab_text, read_file(vocab_json));
  nlohmann::json vocab;
  try {
    vocab = nlohmann::json::parse(vocab_text);
  } catch (const nlohmann::json::exception& e) {
    return Error::format(vocab_name + ": not valid JSON (" + e.what() + ")");
  }
  if (!vocab.is_object()) return Error::format(vocab_name + ": must be a JSON object {token: id}");
  for (const auto& [token, id] : vocab.items()) {
    if (!id.is_number_unsigned() || id.get<uint64_t>() > 0xFFFFFFFFu) {
      return Error::format(vocab_name + ": the id of token '" + token + "' must be a non-negative 32-bit integer");
    }
    model.vocab_[token] = id.get<int64_t>();
    model.tokens_by_id_[id.get<int64_t>()] = token;
  }

  const std::string merges_name = config_context(merges_txt);
  DC_TRY(std::string merges_text, read_file(merges_txt));
  std::istringstream lines(merges_text);
  std::string line;
  uint32_t rank = 0;
  for (size_t line_no = 1; std::getline(lines, line); ++line_no) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("#version")) continue;
    const size_t space = line.find(' ');
    if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos) {
      return Error::format(merges_name + ": line " + std::to_string(line_no) +
                           " must be two tokens separated by one space, got '" + line + "'");
    }
    const std::string left = line.substr(0, space), right = line.substr(space + 1);
    for (const std::string& token : {left, right, left + right}) {
      if (!model.vocab_.contains(token)) {
        return Error::format(merges_name + ": line " + std::to_string(line_no) + ": token '" + token +
                             "' is not in " + vocab_name);
      }
    }
    // A pair listed twice keeps its last rank, as tokenizers' merge map does.
    model.merges_[pair_key(model.vocab_[left], model.vocab_[right])] = {rank++, model.vocab_[left + right]};
  }
  if (!unknown_token.empty()) {
    auto it = model.vocab_.find(unknown_token);
    if (it == model.vocab_.end()) {
      return Error::format(vocab_name + ": has no entry for the unknown token '" + unknown_token + "'");
    }
    model.unknown_id_ = it->second;
  }
  return model;
}

std::optional<int64_t> BpeModel::token_to_id(std::string_view token) const {
  auto it = vocab_.find(std::string(token));
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::id_to_token(int64_t id) const {
  auto it = tokens_by_id_.find(id);
  return it == tokens_by_id_.end() ? nullptr : &it->second;
}

void BpeModel::encode_word(std::string_view word, std::vector<int64_t>& out) const {
  struct Symbol {
    int64_t id;
    int prev, next;
    bool alive;
  };
  std::vector<Symbol> symbols;
  int64_t pending_unknown = -1;  // an unknown symbol not yet pushed
  auto push = [&](int64_t id) {
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({id, index - 1, -1, true});
    if (index > 0) symbols[index - 1].next = index;
  };
  for (size_t i = 0; i < word.size();) {
    const size_t n = std::min(utf8_length(static_cast<unsigned char>(word[i])), word.size() - i);
    std::string symbol(word.substr(i, n));
    i += n;
    if (i == word.size()) symbol += end_of_word_suffix_;
    if (auto it = vocab_.find(symbol); it != vocab_.end()) {
      if (pending_unknown >= 0) push(pending_unknown);
      pending_unknown = -1;
      push(it->second);
    } else if (unknown_id_) {
      if (pending_unknown >= 0) push(pending_unknown);  // fuse_unk = false: one unknown per symbol
      pending_unknown = *unknown_id_;
    }
  }
  if (pending_unknown >= 0) push(pending_unknown);

  // Merge the lowest-ranked adjacent pair first, leftmost among equal ranks (Word::merge_all).
  struct Candidate {
    uint32_t rank;
    int pos;
    int64_t merged_id;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  auto consider = [&](int left) {
    const int right = symbols[left].next;
    if (right < 0) return;
    if (auto it = merges_.find(pair_key(symbols[left].id, symbols[right].id)); it != merges_.end()) {
      queue.push({it->second.rank, left, it->second.merged_id});
    }
  };
  for (int i = 0; i + 1 < static_cast<int>(symbols.size()); ++i) consider(i);
  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    Symbol& left = symbols[top.pos];
    if (!left.alive || left.next < 0) continue;
    const Symbol right = symbols[left.next];
    auto it = merges_.find(pair_key(left.id, right.id));
    if (it == merges_.end() || it->second.merged_id != top.merged_id) continue;  // stale entry
    symbols[left.next].alive = false;
    left.id = top.merged_id;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = top.pos;
    if (left.prev >= 0) consider(left.prev);
    consider(top.pos);
  }
  for (const Symbol& s : symbols) {
    if (s.alive) out.push_back(s.id);
  }
}

}  // namespace dc::models::text
