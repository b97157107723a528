#include "core/io/safetensors/safetensors_header.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/io/safetensors/json_util.h"

namespace dc {
namespace {

using json = nlohmann::json;

// A valid header nests object > entry object > shape array; anything deeper is
// rejected while parsing, so hostile nesting costs neither stack nor memory.
constexpr int kMaxHeaderDepth = 3;

// Thrown from the parser callback to stop parsing; caught in parse_json_header.
struct HeaderRejected {
  std::string why;
};

// Dtypes the safetensors format defines that DC Studio does not implement:
// a well-formed file we cannot use, so kNotSupported rather than kFormat.
constexpr std::string_view kForeignDtypes[] = {"F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4",
                                               "U16",     "U32",     "U64",     "C64"};

uint64_t read_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

class EntryError {
 public:
  EntryError(std::string_view label, std::string_view name) : label_(label), name_(name) {}
  Error operator()(const std::string& why) const {
    return Error::format(std::string(label_) + ": tensor '" + std::string(name_) + "': " + why);
  }

 private:
  std::string_view label_;
  std::string_view name_;
};

Result<json> parse_json_header(std::span<const uint8_t> text, std::string_view label) {
  const std::string where = std::string(label) + ": header";
  if (auto bad = find_invalid_utf8(text))
    return Error::format(where + " is not UTF-8 text (invalid byte at header offset " + std::to_string(*bad) + ")");

  std::vector<std::set<std::string>> keys_by_depth;  // keys of each open object
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (depth >= kMaxHeaderDepth) throw HeaderRejected{"nests deeper than a safetensors header can"};
        if (event == json::parse_event_t::object_start) keys_by_depth.emplace_back();
        break;
      case json::parse_event_t::object_end:
        keys_by_depth.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys_by_depth.back().insert(parsed.get<std::string>()).second)
          throw HeaderRejected{"has duplicate key '" + parsed.get<std::string>() + "'"};
        break;
      default:
        break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const HeaderRejected& r) {
    return Error::format(where + " " + r.why);
  } catch (const json::exception& e) {
    return Error::format(where + " is not valid JSON: " + e.what());
  }
}

Result<DType> parse_dtype(const json& entry, const EntryError& fail) {
  auto it = entry.find("dtype");
  if (it == entry.end()) return fail("missing 'dtype'");
  if (!it->is_string()) return fail("'dtype' must be a string, got " + std::string(json_type_name(*it)));
  const auto& name = it->get_ref<const std::string&>();
  if (auto dtype = dtype_from_safetensors(name)) return *dtype;
  if (std::find(std::begin(kForeignDtypes), std::end(kForeignDtypes), name) != std::end(kForeignDtypes)) {
    Error e = fail("dtype " + name + " is not supported");
    return Error::not_supported(e.message());
  }
  return fail("unknown dtype '" + name + "'");
}

// Also returns numel through `numel_out`.
Result<Shape> parse_shape(const json& entry, const EntryError& fail, int64_t* numel_out) {
  auto it = entry.find("shape");
  if (it == entry.end()) return fail("missing 'shape'");
  if (!it->is_array()) return fail("'shape' must be an array, got " + std::string(json_type_name(*it)));
  Shape shape;
  shape.reserve(it->size());
  // The product of the non-zero dims must fit: contiguous strides are computed from it.
  int64_t extent = 1;
  bool has_zero = false;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& d = (*it)[i];
    const std::string at = "shape[" + std::to_string(i) + "]";
    auto dim = json_to_int64(d);
    if (!dim) return fail(at + " must be an integer that fits int64, got " + d.dump());
    if (*dim < 0) return fail(at + " is " + std::to_string(*dim) + "; dimensions must be non-negative");
    if (*dim == 0) has_zero = true;
    if (*dim > 0 && __builtin_mul_overflow(extent, *dim, &extent))
      return fail("shape " + it->dump() + " has more elements than int64 can count");
    shape.push_back(*dim);
  }
  *numel_out = has_zero ? 0 : extent;
  return shape;
}

Result<TensorInfo> parse_entry(const json& entry, uint64_t data_size, const EntryError& fail) {
  if (!entry.is_object()) return fail("entry must be an object, got " + std::string(json_type_name(entry)));
  TensorInfo info;
  DC_TRY(info.dtype, parse_dtype(entry, fail));
  int64_t numel = 0;
  DC_TRY(info.shape, parse_shape(entry, fail, &numel));

  auto it = entry.find("data_offsets");
  if (it == entry.end()) return fail("missing 'data_offsets'");
  if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number_unsigned() || !(*it)[1].is_number_unsigned())
    return fail("'data_offsets' must be [begin, end] of non-negative integers, got " + it->dump());
  const uint64_t begin = (*it)[0].get<uint64_t>();
  const uint64_t end = (*it)[1].get<uint64_t>();
  const std::string range = "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "]";
  if (begin > end) return fail(range + " begin after end");
  if (end > data_size)
    return fail(range + " run past the end of the data section (" + std::to_string(data_size) +
                " bytes; file truncated?)");

  const auto expected = safetensors_byte_size(numel, info.dtype);
  if (!expected || *expected != end - begin)
    return fail(range + " hold " + std::to_string(end - begin) + " bytes, but " +
                std::string(dtype_safetensors_name(info.dtype)) + " " + shape_to_string(info.shape) +
                " needs " + (expected ? std::to_string(*expected) : std::string("more than 2^64")));
  info.offset = begin;
  info.size = end - begin;
  return info;
}

Result<std::map<std::string, std::string>> parse_metadata(const json& m, std::string_view label) {
  const std::string where = std::string(label) + ": __metadata__";
  if (!m.is_object()) return Error::format(where + " must be an object, got " + std::string(json_type_name(m)));
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : m.items()) {
    if (!value.is_string())
      return Error::format(where + " key '" + key + "' must be a string, got " + std::string(json_type_name(value)));
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

}  // namespace

std::optional<uint64_t> safetensors_byte_size(int64_t numel, DType dtype) {
  if (numel < 0) return std::nullopt;
  const auto n = static_cast<uint64_t>(numel);
  if (dtype == DType::kI4) return n / 2 + n % 2;
  uint64_t bytes;
  if (__builtin_mul_overflow(n, static_cast<uint64_t>(dtype_bits(dtype) / 8), &bytes)) return std::nullopt;
  return bytes;
}

Result<SafetensorsHeader> parse_safetensors_header(std::span<const uint8_t> file, std::string_view label) {
  const std::string name(label);
  if (file.size() < 8)
    return Error::format(name + ": file is " + std::to_string(file.size()) +
                         " bytes; a safetensors file starts with an 8-byte header length (truncated?)");
  const uint64_t header_len = read_le64(file.data());
  if (header_len > kMaxSafetensorsHeaderBytes)
    return Error::format(name + ": header length " + std::to_string(header_len) + " exceeds the " +
                         std::to_string(kMaxSafetensorsHeaderBytes) + "-byte limit (not a safetensors file?)");
  if (header_len > file.size() - 8)
    return Error::format(name + ": header length " + std::to_string(header_len) + " runs past the end of the " +
                         std::to_string(file.size()) + "-byte file (truncated?)");

  DC_TRY(json root, parse_json_header(file.subspan(8, header_len), label));
  if (!root.is_object())
    return Error::format(name + ": header must be a JSON object, got " + std::string(json_type_name(root)));

  SafetensorsHeader header;
  header.data_start = 8 + header_len;
  header.data_size = file.size() - header.data_start;
  header.tensors.reserve(root.size());
  for (const auto& [key, value] : root.items()) {
    if (key == "__metadata__") {
      DC_TRY(header.metadata, parse_metadata(value, label));
      continue;
    }
    DC_TRY(TensorInfo info, parse_entry(value, header.data_size, EntryError(label, key)));
    header.tensors.emplace_back(key, std::move(info));
  }

  auto& ts = header.tensors;
  std::sort(ts.begin(), ts.end(), [](const auto& a, const auto& b) {
    return a.second.offset != b.second.offset ? a.second.offset < b.second.offset : a.first < b.first;
  });
  // Sorted by begin, a tensor overlaps an earlier one iff it starts before the
  // furthest end seen so far. Empty tensors own no bytes and overlap nothing.
  const std::pair<std::string, TensorInfo>* furthest = nullptr;
  for (const auto& t : ts) {
    if (t.second.size == 0) continue;
    if (furthest && t.second.offset < furthest->second.offset + furthest->second.size)
      return EntryError(label, t.first)(
          "bytes [" + std::to_string(t.second.offset) + ", " + std::to_string(t.second.offset + t.second.size) +
          ") overlap tensor '" + furthest->first + "' bytes [" + std::to_string(furthest->second.offset) + ", " +
          std::to_string(furthest->second.offset + furthest->second.size) + ")");
    if (!furthest || t.second.offset + t.second.size > furthest->second.offset + furthest->second.size)
      furthest = &t;
  }
  return header;
}

}  // namespace dc
