// Read-only memory mapping of a whole file (RAII, move-only).
//
//   DC_TRY(MappedFile file, MappedFile::open("vae/diffusion_pytorch_model.safetensors"));
//   std::span<const uint8_t> bytes = file.bytes();   // valid while `file` lives
//
// The mapping is PROT_READ: the pages are shared with the page cache and never
// written, so opening a 10 GB checkpoint costs address space, not memory.
// An empty file is a valid, empty mapping (mmap itself refuses length 0).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

#include "core/base/result.h"

namespace dc {

class MappedFile {
 public:
  // Fails with kNotFound (no such file), kInvalidArgument (not a regular file)
  // or kIo (open/fstat/mmap refused), naming the path and strerror.
  static Result<MappedFile> open(const std::filesystem::path& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const uint8_t* data() const { return data_; }  // null for an empty file
  size_t size() const { return size_; }
  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void reset();

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::filesystem::path path_;
};

}  // namespace dc
