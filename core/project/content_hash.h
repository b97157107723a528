// Fingerprints of model folders and output files, so a project can notice that
// the model it was made with changed, and a resumed render that an output is torn.
//
//   DC_TRY(std::string h, content_hash("models/DC-Gen-FLUX.1-Krea-Dev-Res1K"));  // "fnv1a64:9f3c…"
//
// The hash is 64-bit FNV-1a (implemented here: no dependency, and the inputs are
// small), written as "fnv1a64:" + 16 lowercase hex digits so the algorithm can
// change later without ambiguity. It detects accidental change, not tampering.
//
// What content_hash(folder) covers — fast even for 30 GB checkpoints:
//   * every regular file under the folder (symlinks followed, as Hugging Face
//     cache snapshots link to blobs), in sorted relative-path order; names
//     starting with '.' (files or folders, e.g. .cache, .git) are skipped;
//   * for each: its relative path ('/'-separated) and its size in bytes;
//   * .safetensors files: their header (the 8-byte length and the JSON with every
//     tensor's name, dtype, shape and offsets), not the tensor data;
//   * other files up to 16 MiB (configs, model_index.json, tokenizers): all bytes;
//   * larger other files: their first and last MiB.
// Modification times are not covered, so a copied folder hashes the same. A
// change to tensor values that keeps every header and size is not detected.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace dc::project {

// 64-bit FNV-1a over the bytes given to update(), in order.
class Fnv1a64 {
 public:
  void update(std::span<const uint8_t> bytes);
  void update(std::string_view text);
  void update_u64(uint64_t value);  // 8 bytes, little-endian
  uint64_t digest() const { return state_; }
  std::string hex() const;  // "fnv1a64:" + 16 hex digits

 private:
  uint64_t state_ = 0xcbf29ce484222325ull;
};

// kNotFound when the folder is missing, kIo when a file cannot be read, kFormat
// for a .safetensors file whose header length is impossible.
Result<std::string> content_hash(const std::filesystem::path& folder);

// All bytes of one file.
Result<std::string> file_hash(const std::filesystem::path& file);

// "fnv1a64:" followed by 16 lowercase hex digits.
bool is_valid_content_hash(std::string_view text);

}  // namespace dc::project
