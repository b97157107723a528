#include "tests/io/io_test_util.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace dc::test {

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "dc_test_io_XXXXXX").string();
  if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_raw_safetensors(const std::filesystem::path& path, std::string_view header, std::string_view data,
                           std::optional<uint64_t> header_length) {
  const uint64_t n = header_length.value_or(header.size());
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  bytes += header;
  bytes += data;
  write_file(path, bytes);
}

Tensor pattern_tensor(DType dtype, const Shape& shape, uint32_t seed) {
  Tensor t = Tensor::empty(shape, dtype);
  auto* p = static_cast<uint8_t*>(t.data_ptr());
  for (size_t i = 0; i < t.nbytes(); ++i) {
    const uint32_t v = (static_cast<uint32_t>(i) + 1) * 2654435761u + seed * 40503u;
    p[i] = dtype == DType::kBool ? static_cast<uint8_t>(i % 2) : static_cast<uint8_t>(v >> 13);
  }
  return t;
}

std::vector<uint8_t> tensor_bytes(const Tensor& t) {
  EXPECT_TRUE(t.is_contiguous());
  const auto* p = static_cast<const uint8_t*>(t.data_ptr());
  return {p, p + t.nbytes()};
}

void expect_error(const Error& e, ErrorCode code, const std::vector<std::string>& pieces) {
  EXPECT_EQ(e.code(), code) << "got " << error_code_name(e.code()) << ": " << e.to_string();
  const std::string text = e.to_string();
  for (const auto& piece : pieces) EXPECT_NE(text.find(piece), std::string::npos) << "'" << piece << "' not in: " << text;
}

}  // namespace dc::test
