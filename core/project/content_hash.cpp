#include "core/project/content_hash.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace dc::project {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kFnvPrime = 0x100000001b3ull;
constexpr uint64_t kWholeFileLimit = 16ull << 20;  // configs and tokenizers are hashed in full
constexpr uint64_t kEdgeBytes = 1ull << 20;        // larger non-safetensors files: first and last MiB
constexpr uint64_t kMaxSafetensorsHeader = 100ull << 20;  // the format's own limit

Error read_error(const fs::path& path) { return Error::io(path.string() + ": cannot read: " + std::strerror(errno)); }

// Feeds `length` bytes of `in` starting at `offset` to the hash.
Status hash_range(std::ifstream& in, const fs::path& path, uint64_t offset, uint64_t length, Fnv1a64& h) {
  std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(length, 1ull << 20)));
  in.seekg(static_cast<std::streamoff>(offset));
  while (length > 0) {
    const auto n = static_cast<std::streamsize>(std::min<uint64_t>(length, buf.size()));
    in.read(buf.data(), n);
    if (in.gcount() != n) return read_error(path);
    h.update(std::span(reinterpret_cast<const uint8_t*>(buf.data()), static_cast<size_t>(n)));
    length -= static_cast<uint64_t>(n);
  }
  return ok_status();
}

Status hash_file_part(const fs::path& path, uint64_t size, Fnv1a64& h) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return read_error(path);
  if (path.extension() == ".safetensors") {
    if (size < 8) return Error::format(path.string() + ": too short for a safetensors file");
    uint8_t len_bytes[8];
    in.read(reinterpret_cast<char*>(len_bytes), 8);
    if (in.gcount() != 8) return read_error(path);
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
    if (header_len > kMaxSafetensorsHeader || header_len > size - 8) {
      return Error::format(path.string() + ": safetensors header length " + std::to_string(header_len) +
                           " does not fit the file");
    }
    h.update(std::span<const uint8_t>(len_bytes, 8));
    return hash_range(in, path, 8, header_len, h);
  }
  if (size <= kWholeFileLimit) return hash_range(in, path, 0, size, h);
  DC_TRY_STATUS(hash_range(in, path, 0, kEdgeBytes, h));
  return hash_range(in, path, size - kEdgeBytes, kEdgeBytes, h);
}

}  // namespace

void Fnv1a64::update(std::span<const uint8_t> bytes) {
  uint64_t s = state_;
  for (uint8_t b : bytes) s = (s ^ b) * kFnvPrime;
  state_ = s;
}

void Fnv1a64::update(std::string_view text) {
  update(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

void Fnv1a64::update_u64(uint64_t value) {
  uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<uint8_t>(value >> (8 * i));
  update(std::span<const uint8_t>(bytes, 8));
}

std::string Fnv1a64::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s = "fnv1a64:";
  for (int shift = 60; shift >= 0; shift -= 4) s += kDigits[(state_ >> shift) & 0xf];
  return s;
}

Result<std::string> content_hash(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return Error::not_found(folder.string() + ": no such model folder");
  struct Entry {
    std::string relative;
    fs::path path;
    uint64_t size;
  };
  std::vector<Entry> files;
  auto it = fs::recursive_directory_iterator(folder, fs::directory_options::follow_directory_symlink, ec);
  if (ec) return Error::io(folder.string() + ": cannot list: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Error::io(folder.string() + ": cannot list: " + ec.message());
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;  // folders, dangling links, sockets
    const uint64_t size = it->file_size(ec);
    if (ec) return Error::io(p.string() + ": cannot read size: " + ec.message());
    files.push_back({p.lexically_relative(folder).generic_string(), p, size});
  }
  std::sort(files.begin(), files.end(), [](const Entry& a, const Entry& b) { return a.relative < b.relative; });
  Fnv1a64 h;
  for (const Entry& f : files) {
    h.update(f.relative);
    h.update(std::string_view("\0", 1));
    h.update_u64(f.size);
    DC_TRY_STATUS(hash_file_part(f.path, f.size, h));
  }
  return h.hex();
}

Result<std::string> file_hash(const fs::path& file) {
  std::error_code ec;
  const uint64_t size = fs::file_size(file, ec);
  if (ec) return Error::not_found(file.string() + ": " + ec.message());
  std::ifstream in(file, std::ios::binary);
  if (!in) return read_error(file);
  Fnv1a64 h;
  DC_TRY_STATUS(hash_range(in, file, 0, size, h));
  return h.hex();
}

bool is_valid_content_hash(std::string_view text) {
  constexpr std::string_view kPrefix = "fnv1a64:";
  if (!text.starts_with(kPrefix) || text.size() != kPrefix.size() + 16) return false;
  return std::all_of(text.begin() + kPrefix.size(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace dc::project
