// The hash image tools use to name a LoRA file: SHA-256 of a .safetensors file's
// bytes after its header (A1111's "addnet" hash, modules/hashes.py
// addnet_hash_safetensors; Civitai lists it as AutoV3). Metadata edits do not
// change it. A1111 writes its first 12 hex digits into "Lora hashes".
#pragma once

#include <filesystem>
#include <string>

#include "core/base/result.h"

namespace dc {

// 64 lowercase hex digits; errors name the file (missing, not a valid safetensors file).
Result<std::string> lora_file_hash(const std::filesystem::path& path);

}  // namespace dc
