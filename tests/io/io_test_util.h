// Helpers for the core/io tests: a temporary folder per test and writers for
// hand-made (often deliberately broken) files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc::test {

// A fresh folder under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / std::string(name); }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `path`, creating parent folders.
void write_file(const std::filesystem::path& path, std::string_view bytes);
std::string read_file(const std::filesystem::path& path);

// A safetensors file from raw parts: the 8-byte little-endian length (default:
// header.size()), the header text exactly as given, then `data`.
void write_raw_safetensors(const std::filesystem::path& path, std::string_view header, std::string_view data = {},
                           std::optional<uint64_t> header_length = std::nullopt);

// A contiguous CPU tensor whose bytes are a pattern derived from `seed`
// (bool elements alternate 0/1, as other values are not valid bools).
Tensor pattern_tensor(DType dtype, const Shape& shape, uint32_t seed);
std::vector<uint8_t> tensor_bytes(const Tensor& t);  // requires contiguous

// The error of `r`, failing the test if `r` holds a value.
template <class T>
Error error_of(const Result<T>& r) {
  if (r) {
    ADD_FAILURE() << "expected an error, got a value";
    return Error::internal("no error");
  }
  return r.error();
}

// Asserts that `e` has `code` and that its full text contains every piece.
void expect_error(const Error& e, ErrorCode code, const std::vector<std::string>& pieces);

}  // namespace dc::test
