#include "core/io/lora/lora_hash.h"

#include "core/base/sha256.h"
#include "core/io/safetensors/safetensors_file.h"

namespace dc {

Result<std::string> lora_file_hash(const std::filesystem::path& path) {
  DC_TRY(auto file, SafetensorsFile::open(path));
  const std::span<const uint8_t> bytes = file->mapped_bytes();
  Sha256 h;
  h.update(bytes.subspan(static_cast<size_t>(file->data_start())));  // 8-byte length + header skipped
  return h.hex_digest();
}

}  // namespace dc
