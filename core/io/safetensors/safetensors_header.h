// Parsing and validation of a safetensors header: the 8-byte little-endian
// length, the JSON header and every tensor entry, checked against the file
// size before anything else reads the file. Split from SafetensorsFile so the
// validator can be fuzzed on plain bytes.
//
//   DC_TRY(SafetensorsHeader h, parse_safetensors_header(file.bytes(), "vae/model.safetensors"));
//   for (const auto& [name, info] : h.tensors) ...   // sorted by data offset
//
// Rules (errors are kFormat and name the file and, where there is one, the tensor):
//  - file at least 8 bytes; header length <= kMaxSafetensorsHeaderBytes and <= file size - 8
//    (checked before anything is allocated from it);
//  - header is UTF-8 JSON, an object, nested at most 3 levels, no duplicate keys;
//  - each entry: dtype one of F64 F32 F16 BF16 F8_E4M3 I64 I32 I16 I8 U8 BOOL I4 (I4 is
//    ours: two values per byte); shape an array of non-negative integers whose product
//    fits int64; data_offsets [begin, end] with begin <= end <= data-section size;
//    end - begin == numel x element size (I4: ceil(numel / 2)); no two tensors overlap;
//  - `__metadata__`, if present, an object of strings.
// Gaps between tensors are allowed (the reference loader rejects them; we need not).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc {

// Same bound as the reference implementation (safetensors::MAX_HEADER_SIZE).
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

struct TensorInfo {
  DType dtype = DType::kF32;
  Shape shape;
  uint64_t offset = 0;  // bytes from the start of the data section (data_offsets[0])
  uint64_t size = 0;    // bytes (data_offsets[1] - data_offsets[0])
};

struct SafetensorsHeader {
  uint64_t data_start = 0;  // file offset of the data section: 8 + header length
  uint64_t data_size = 0;   // bytes from data_start to the end of the file
  std::vector<std::pair<std::string, TensorInfo>> tensors;  // by offset, then name
  std::map<std::string, std::string> metadata;              // `__metadata__`
};

// `file` is the whole file; `label` names it in errors (usually its path).
Result<SafetensorsHeader> parse_safetensors_header(std::span<const uint8_t> file, std::string_view label);

// Bytes that `numel` elements of `dtype` occupy (I4: ceil(numel / 2)); nullopt on overflow.
std::optional<uint64_t> safetensors_byte_size(int64_t numel, DType dtype);

}  // namespace dc
