// Small JSON helpers shared by the safetensors header, the sharded-checkpoint
// index and the diffusers config readers. Every function here turns
// nlohmann's exceptions into `Error`s at the call, so none escapes core/io.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.h"

namespace dc {

// Default bound for JSON side files (config.json, model_index.json, *.index.json):
// real ones are kilobytes to a few megabytes.
inline constexpr uint64_t kMaxJsonFileBytes = 64ull << 20;

// Reads and parses a JSON file. kNotFound if missing, kIo if unreadable,
// kFormat (naming the path) if larger than `max_bytes` or not valid JSON.
Result<nlohmann::json> read_json_file(const std::filesystem::path& path, uint64_t max_bytes = kMaxJsonFileBytes);

// "null", "boolean", "integer", "float", "string", "array", "object" — for messages.
std::string_view json_type_name(const nlohmann::json& value);

// The value as int64 if it is a JSON integer in range (never a float such as 2.0).
std::optional<int64_t> json_to_int64(const nlohmann::json& value);

// Offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF included), or nullopt if all is valid.
std::optional<size_t> find_invalid_utf8(std::span<const uint8_t> text);

}  // namespace dc
