// The CLIP and T5 tokenizers against transformers 5 on tiny tokenizers in the FLUX folder layout
// (tests/reference/make_tokenizer_goldens.py -> tests/data/tokenizers), id for id, plus the
// errors a malformed folder must give.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "core/models/text/clip_tokenizer.h"
#include "core/models/text/t5_tokenizer.h"
#include "tests/common/test_util.h"

namespace dc::models::text {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

fs::path tokenizers_dir() { return test::data_dir() / "tokenizers"; }
fs::path clip_dir() { return tokenizers_dir() / "flux_tiny" / "tokenizer"; }
fs::path t5_dir() { return tokenizers_dir() / "flux_tiny" / "tokenizer_2"; }

const Json& goldens() {
  static const Json json = [] {
    std::ifstream in(tokenizers_dir() / "goldens.json");
    return in ? Json::parse(in) : Json::object();
  }();
  return json;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  if (goldens().contains("cases")) {
    for (const Json& c : goldens()["cases"]) names.push_back(c["name"].get<std::string>());
  }
  return names;
}

const Json& golden_case(const std::string& name) {
  for (const Json& c : goldens()["cases"]) {
    if (c["name"] == name) return c;
  }
  throw std::runtime_error("no golden case " + name);
}

// The prompt bytes exactly as the reference got them: invalid UTF-8 is stored as hex and
// passed to the C++ tokenizers raw (transformers saw its errors="replace" decoding).
std::string prompt_bytes(const Json& c) {
  if (c.contains("text")) return c["text"].get<std::string>();
  const std::string hex = c["bytes_hex"].get<std::string>();
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

std::vector<int64_t> ids_of(const Json& list) { return list.get<std::vector<int64_t>>(); }

const ClipTokenizer& clip() {
  static const ClipTokenizer tok = ClipTokenizer::load(clip_dir()).value_or_throw();
  return tok;
}

const T5Tokenizer& t5() {
  static const T5Tokenizer tok = T5Tokenizer::load(t5_dir()).value_or_throw();
  return tok;
}

constexpr TokenizeOptions kUntruncated{.pad_to_max_length = false, .truncation = false};

// Checks the FluxPipeline call (padded, truncated), the untruncated ids, and the truncation
// report against what diffusers' warning would decode.
template <class Tokenizer>
void expect_flux_call(const Tokenizer& tok, const std::string& prompt, const Json& golden, int64_t max_length) {
  const std::vector<int64_t> untruncated = ids_of(golden["untruncated"]);
  EXPECT_EQ(tok.encode(prompt, kUntruncated), untruncated);
  if (!golden.contains("ids")) return;
  TruncationReport report;
  const std::vector<int64_t> ids = tok.encode(prompt, {.max_length = max_length}, &report);
  EXPECT_EQ(ids, ids_of(golden["ids"]));
  const int64_t over = static_cast<int64_t>(untruncated.size()) - max_length;
  EXPECT_EQ(report.dropped_tokens, std::max<int64_t>(over, 0));
  EXPECT_EQ(static_cast<int64_t>(report.dropped_ids.size()), report.dropped_tokens);
  if (golden.contains("removed_text")) {
    EXPECT_EQ(tok.decode(report.dropped_ids), golden["removed_text"].get<std::string>());
  }
}

class TokenizerGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(TokenizerGolden, ClipMatchesTransformers) {
  const Json& c = golden_case(GetParam());
  expect_flux_call(clip(), prompt_bytes(c), c["clip"], 77);
  // The model_max_length default is the folder's 77.
  if (c["clip"].contains("ids")) EXPECT_EQ(clip().encode(prompt_bytes(c)), ids_of(c["clip"]["ids"]));
}

TEST_P(TokenizerGolden, T5MatchesTransformers) {
  const Json& c = golden_case(GetParam());
  expect_flux_call(t5(), prompt_bytes(c), c["t5"], 512);
  if (c.contains("t5_256")) expect_flux_call(t5(), prompt_bytes(c), c["t5_256"], 256);
  if (c["t5"].contains("ids")) EXPECT_EQ(t5().encode(prompt_bytes(c)), ids_of(c["t5"]["ids"]));
}

INSTANTIATE_TEST_SUITE_P(Corpus, TokenizerGolden, ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

TEST(TokenizerGoldens, CorpusIsPresentAndNonTrivial) {
  ASSERT_TRUE(goldens().contains("cases")) << "missing " << (tokenizers_dir() / "goldens.json");
  const Json& cases = goldens()["cases"];
  EXPECT_GE(cases.size(), 200u);
  // Both tokenizers produce many distinct ids and some prompts are truncated by each.
  std::set<int64_t> clip_ids, t5_ids;
  int clip_cut = 0, t5_cut = 0;
  for (const Json& c : cases) {
    for (int64_t id : ids_of(c["clip"]["untruncated"])) clip_ids.insert(id);
    for (int64_t id : ids_of(c["t5"]["untruncated"])) t5_ids.insert(id);
    clip_cut += c["clip"].contains("removed_text");
    t5_cut += c["t5"].contains("removed_text");
  }
  EXPECT_GT(clip_ids.size(), 300u);
  EXPECT_GT(t5_ids.size(), 150u);
  EXPECT_GE(clip_cut, 3);
  EXPECT_GE(t5_cut, 2);
}

TEST(TokenizerSpecialIds, MatchTheReference) {
  const Json& meta = goldens()["meta"];
  EXPECT_EQ(clip().bos_id(), meta["clip"]["bos_id"].get<int64_t>());
  EXPECT_EQ(clip().eos_id(), meta["clip"]["eos_id"].get<int64_t>());
  EXPECT_EQ(clip().pad_id(), meta["clip"]["pad_id"].get<int64_t>());
  EXPECT_EQ(clip().vocab_size(), meta["clip"]["vocab_size"].get<int64_t>());
  EXPECT_EQ(clip().model_max_length(), 77);
  EXPECT_EQ(t5().eos_id(), meta["t5"]["eos_id"].get<int64_t>());
  EXPECT_EQ(t5().pad_id(), meta["t5"]["pad_id"].get<int64_t>());
  EXPECT_EQ(t5().vocab_size(), meta["t5"]["vocab_size"].get<int64_t>());
  EXPECT_EQ(t5().model_max_length(), 512);
}

// BPE's unknown path: the reference removed the symbols of bytes F0-F4 from vocab.json (no merge
// uses them); the same copy is made here and every code point above U+FFFF must come out as
// one <|endoftext|> per missing symbol.
TEST(ClipTokenizerUnknownSymbols, MatchTransformers) {
  const Json& variant = goldens()["meta"]["clip_unknown_symbols"];
  ASSERT_FALSE(variant["cases"].empty());
  test::TempDir tmp;
  const fs::path dir = tmp / "tokenizer";
  fs::copy(clip_dir(), dir, fs::copy_options::recursive);
  Json vocab = Json::parse(std::ifstream(dir / "vocab.json"));
  for (const Json& token : variant["removed_tokens"]) ASSERT_EQ(vocab.erase(token.get<std::string>()), 1u);
  std::ofstream(dir / "vocab.json", std::ios::trunc) << vocab.dump();
  const ClipTokenizer tok = ClipTokenizer::load(dir).value_or_throw();
  int with_unknown = 0;
  for (const Json& c : variant["cases"]) {
    const std::vector<int64_t> want = ids_of(c["untruncated"]);
    EXPECT_EQ(tok.encode(prompt_bytes(golden_case(c["name"].get<std::string>())), kUntruncated), want)
        << c["name"];
    with_unknown += std::count(want.begin() + 1, want.end() - 1, tok.eos_id()) > 0;
  }
  EXPECT_GT(with_unknown, 0);
}

TEST(TokenizerOptions, WithoutSpecialTokensIsTheContent) {
  const Json& c = golden_case("mixed_case");
  const std::string prompt = prompt_bytes(c);
  const TokenizeOptions plain{.pad_to_max_length = false, .truncation = false, .add_special_tokens = false};
  std::vector<int64_t> clip_ids = ids_of(c["clip"]["untruncated"]);
  EXPECT_EQ(clip().encode(prompt, plain), std::vector<int64_t>(clip_ids.begin() + 1, clip_ids.end() - 1));
  std::vector<int64_t> t5_ids = ids_of(c["t5"]["untruncated"]);
  EXPECT_EQ(t5().encode(prompt, plain), std::vector<int64_t>(t5_ids.begin(), t5_ids.end() - 1));
}

TEST(TokenizerOptions, MaxLengthWithoutRoomForSpecialTokensIsAnError) {
  EXPECT_THROW(clip().encode("a cat", {.max_length = 1}), ErrorException);
  EXPECT_EQ(t5().encode("a cat", {.max_length = 1}), std::vector<int64_t>{t5().eos_id()});
}

// ---- malformed folders: clear errors naming the file ----

fs::path copy_folder(const fs::path& from, const test::TempDir& tmp, const std::string& name) {
  const fs::path to = tmp / name;
  fs::copy(from, to, fs::copy_options::recursive);
  return to;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

template <class T>
void expect_error(const Result<T>& r, ErrorCode code, const std::string& needle) {
  ASSERT_FALSE(r.ok()) << "expected an error mentioning " << needle;
  EXPECT_EQ(r.error().code(), code) << r.error().to_string();
  EXPECT_NE(r.error().to_string().find(needle), std::string::npos) << r.error().to_string();
}

TEST(ClipTokenizerFolder, MissingMergesIsNotFound) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(clip_dir(), tmp, "tokenizer");
  fs::remove(dir / "merges.txt");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kNotFound, "tokenizer/merges.txt");
}

TEST(ClipTokenizerFolder, MissingVocabIsNotFound) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(clip_dir(), tmp, "tokenizer");
  fs::remove(dir / "vocab.json");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kNotFound, "tokenizer/vocab.json");
}

TEST(ClipTokenizerFolder, CorruptVocabIsFormatError) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(clip_dir(), tmp, "tokenizer");
  write_file(dir / "vocab.json", "{\"a\": 0, \"b\": ");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kFormat, "tokenizer/vocab.json");
  write_file(dir / "vocab.json", "[\"a\", \"b\"]");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kFormat, "tokenizer/vocab.json");
  write_file(dir / "vocab.json", "{\"a\": \"zero\"}");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kFormat, "token 'a'");
}

TEST(ClipTokenizerFolder, MergeOutsideVocabNamesTheLine) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(clip_dir(), tmp, "tokenizer");
  write_file(dir / "merges.txt", "#version: 0.2\nc a\nq\xe2\x82\xac z\n");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kFormat, "merges.txt: line 3");
  write_file(dir / "merges.txt", "#version: 0.2\nc a t\n");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kFormat, "merges.txt: line 2");
}

TEST(ClipTokenizerFolder, CorruptConfigIsFormatError) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(clip_dir(), tmp, "tokenizer");
  write_file(dir / "tokenizer_config.json", "{\"model_max_length\": 77,");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kFormat, "tokenizer/tokenizer_config.json");
  write_file(dir / "tokenizer_config.json", "{\"added_tokens_decoder\": {\"x\": {\"content\": \"a\"}}}");
  expect_error(ClipTokenizer::load(dir), ErrorCode::kFormat, "added_tokens_decoder");
}

TEST(ClipTokenizerFolder, WithoutConfigUsesClipDefaults) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(clip_dir(), tmp, "tokenizer");
  fs::remove(dir / "tokenizer_config.json");
  fs::remove(dir / "special_tokens_map.json");
  const ClipTokenizer tok = ClipTokenizer::load(dir).value_or_throw();
  EXPECT_EQ(tok.model_max_length(), 0);
  EXPECT_EQ(tok.bos_id(), clip().bos_id());
  EXPECT_EQ(tok.eos_id(), clip().eos_id());
  const Json& c = golden_case("simple");
  EXPECT_EQ(tok.encode(prompt_bytes(c), kUntruncated), ids_of(c["clip"]["untruncated"]));
  EXPECT_THROW(tok.encode("a cat"), ErrorException);  // no max_length anywhere
}

TEST(T5TokenizerFolder, MissingModelIsNotFound) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(t5_dir(), tmp, "tokenizer_2");
  fs::remove(dir / "spiece.model");
  expect_error(T5Tokenizer::load(dir), ErrorCode::kNotFound, "tokenizer_2/spiece.model");
}

TEST(T5TokenizerFolder, CorruptModelIsFormatError) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(t5_dir(), tmp, "tokenizer_2");
  write_file(dir / "spiece.model", "this is not a sentencepiece model");
  expect_error(T5Tokenizer::load(dir), ErrorCode::kFormat, "tokenizer_2/spiece.model");
  // A truncated copy of the real model.
  std::ifstream in(t5_dir() / "spiece.model", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_file(dir / "spiece.model", bytes.substr(0, bytes.size() / 3));
  expect_error(T5Tokenizer::load(dir), ErrorCode::kFormat, "tokenizer_2/spiece.model");
  write_file(dir / "spiece.model", "");
  expect_error(T5Tokenizer::load(dir), ErrorCode::kFormat, "tokenizer_2/spiece.model");
}

TEST(T5TokenizerFolder, CorruptConfigIsFormatError) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(t5_dir(), tmp, "tokenizer_2");
  write_file(dir / "tokenizer_config.json", "{\"extra_ids\": \"many\"}");
  expect_error(T5Tokenizer::load(dir), ErrorCode::kFormat, "tokenizer_2/tokenizer_config.json");
}

TEST(T5TokenizerFolder, NormalizedAddedTokenIsNotSupported) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(t5_dir(), tmp, "tokenizer_2");
  write_file(dir / "tokenizer_config.json",
             R"({"added_tokens_decoder": {"0": {"content": "<pad>", "normalized": true, "special": true}}})");
  expect_error(T5Tokenizer::load(dir), ErrorCode::kNotSupported, "<pad>");
}

TEST(T5TokenizerFolder, WithoutConfigUsesT5Defaults) {
  test::TempDir tmp;
  const fs::path dir = copy_folder(t5_dir(), tmp, "tokenizer_2");
  fs::remove(dir / "tokenizer_config.json");
  fs::remove(dir / "special_tokens_map.json");
  const T5Tokenizer tok = T5Tokenizer::load(dir).value_or_throw();
  EXPECT_EQ(tok.vocab_size(), t5().vocab_size());  // 100 sentinels by default
  EXPECT_EQ(tok.model_max_length(), 0);
  EXPECT_THROW(tok.encode("a cat"), ErrorException);  // no max_length anywhere
  // Without the folder's lstrip/rstrip the sentinels keep their neighbouring spaces, so only
  // prompts without sentinels are compared.
  for (const char* name : {"simple", "cjk", "numbers"}) {
    const Json& c = golden_case(name);
    EXPECT_EQ(tok.encode(prompt_bytes(c), kUntruncated), ids_of(c["t5"]["untruncated"])) << name;
  }
}

}  // namespace
}  // namespace dc::models::text
