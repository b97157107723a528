// Model folder content hashes: what they notice and what they deliberately skip.
#include <gtest/gtest.h>

#include <fstream>

#include "core/project/content_hash.h"
#include "tests/common/test_util.h"
#include "tests/project/sample_project.h"

namespace dc::project {
namespace {

namespace fs = std::filesystem;

const fs::path kTiny = test::data_dir() / "flux_pipeline" / "tiny-dcgen-flux";

// A private copy of the tiny pipeline folder to modify.
struct FolderCopy {
  FolderCopy() { fs::copy(kTiny, dir.path() / "m", fs::copy_options::recursive); }
  fs::path operator/(const std::string& rel) const { return dir.path() / "m" / rel; }
  std::string hash() const {
    auto h = content_hash(dir.path() / "m");
    EXPECT_TRUE(h) << h.error().to_string();
    return h ? *h : "";
  }
  test::TempDir dir;
};

// Overwrites bytes at `offset` of a file in place.
void patch(const fs::path& file, uint64_t offset, const std::string& bytes) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

uint64_t safetensors_header_length(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  uint8_t b[8];
  in.read(reinterpret_cast<char*>(b), 8);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | b[i];
  return n;
}

TEST(ContentHash, Fnv1aMatchesPublishedVectors) {
  const std::pair<std::string, uint64_t> vectors[] = {
      {"", 0xcbf29ce484222325ull}, {"a", 0xaf63dc4c8601ec8cull}, {"foobar", 0x85944171f73967e8ull}};
  for (const auto& [text, expected] : vectors) {
    Fnv1a64 h;
    h.update(text);
    EXPECT_EQ(h.digest(), expected) << '"' << text << '"';
  }
  Fnv1a64 h;
  EXPECT_EQ(h.hex(), "fnv1a64:cbf29ce484222325");
  EXPECT_TRUE(is_valid_content_hash(h.hex()));
  EXPECT_FALSE(is_valid_content_hash("fnv1a64:CBF29CE484222325"));
  EXPECT_FALSE(is_valid_content_hash("fnv1a64:cbf29ce48422232"));
  EXPECT_FALSE(is_valid_content_hash("sha256:cbf29ce484222325"));
}

TEST(ContentHash, ACopyHashesTheSameAndTimesDoNotMatter) {
  FolderCopy copy;
  auto original = content_hash(kTiny);
  ASSERT_TRUE(original);
  EXPECT_TRUE(is_valid_content_hash(*original)) << *original;
  EXPECT_EQ(copy.hash(), *original);
  fs::last_write_time(copy / "model_index.json", fs::file_time_type::clock::now() - std::chrono::hours(5));
  test::write_file(copy / ".cache", "downloader state");  // hidden files are skipped
  fs::create_directories(copy / ".git" / "objects");
  test::write_file(copy / ".git" / "objects" / "x", "y");
  EXPECT_EQ(copy.hash(), *original);
}

TEST(ContentHash, ConfigsTokenizersHeadersAndFileSetsAreCovered) {
  const std::string original = FolderCopy().hash();
  {
    FolderCopy c;  // a config value
    std::string cfg = test::read_file(c / "transformer/config.json");
    const auto pos = cfg.find(':');
    cfg.insert(pos + 1, " ");
    test::write_file(c / "transformer/config.json", cfg);
    EXPECT_NE(c.hash(), original);
  }
  {
    FolderCopy c;  // one byte of a tokenizer model (hashed in full: under 16 MiB)
    patch(c / "tokenizer_2/spiece.model", 1000, "\x7f");
    EXPECT_NE(c.hash(), original);
  }
  {
    FolderCopy c;  // a safetensors header (a tensor's name, dtype, shape or offsets)
    const fs::path st = c / "vae/diffusion_pytorch_model.safetensors";
    std::string text = test::read_file(st);
    const auto pos = text.find("\"F32\"");
    ASSERT_NE(pos, std::string::npos);
    patch(st, pos, "\"F16\"");
    EXPECT_NE(c.hash(), original);
  }
  {
    FolderCopy c;  // an extra file
    test::write_file(c / "vae/notes.txt", "x");
    EXPECT_NE(c.hash(), original);
  }
  {
    FolderCopy c;  // a renamed file
    fs::rename(c / "tokenizer/merges.txt", c / "tokenizer/merges2.txt");
    EXPECT_NE(c.hash(), original);
  }
}

// Documented limit: tensor data is not read, so a same-size change to weights is not seen.
TEST(ContentHash, TensorDataIsNotRead) {
  FolderCopy c;
  const std::string original = c.hash();
  const fs::path st = c / "transformer/diffusion_pytorch_model.safetensors";
  patch(st, 8 + safetensors_header_length(st) + 16, "\x01\x02\x03\x04");
  EXPECT_EQ(c.hash(), original);
}

TEST(ContentHash, ErrorsNameTheProblem) {
  test::TempDir tmp;
  auto missing = content_hash(tmp / "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  fs::create_directories(tmp / "m");
  test::write_file(tmp / "m" / "bad.safetensors", std::string("\xff\xff\xff\xff\x00\x00\x00\x00{}", 10));
  auto bad = content_hash(tmp / "m");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kFormat);
  EXPECT_NE(bad.error().to_string().find("bad.safetensors"), std::string::npos) << bad.error().to_string();
}

TEST(ContentHash, FileHashCoversEveryByte) {
  test::TempDir tmp;
  const std::string text(3 << 20, 'x');  // several read chunks
  test::write_file(tmp / "a", text);
  auto a = file_hash(tmp / "a");
  ASSERT_TRUE(a);
  patch(tmp / "a", (3 << 20) - 1, "y");
  auto b = file_hash(tmp / "a");
  ASSERT_TRUE(b);
  EXPECT_NE(*a, *b);
  EXPECT_FALSE(file_hash(tmp / "missing"));
}

}  // namespace
}  // namespace dc::project
