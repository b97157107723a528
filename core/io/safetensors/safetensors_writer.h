// Writes CPU tensors to a .safetensors file, atomically.
//
//   DC_TRY_STATUS(write_safetensors("taps.safetensors", {{"x", x}, {"y", y}}, {{"step", "3"}}));
//
// The file is written to a temporary file in the destination's folder, fsynced
// and renamed over the destination, so readers see the old file or the new one,
// never half of one; on any failure the destination is untouched and the
// temporary removed.
//
// Layout, as the reference writer: tensors ordered by element size (largest
// first, then in the given order), the header padded with spaces so the data
// section starts 8-byte aligned; every tensor is therefore aligned to its element
// size and SafetensorsFile returns it zero-copy. Non-contiguous tensors are
// gathered with a strided copy (I4 tensors must be contiguous: their elements
// are nibbles).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc {

// kInvalidArgument: duplicate, empty or reserved ("__metadata__") names, undefined
// or non-CPU tensors, strided I4, names/metadata that are not UTF-8.
// kIo: the OS refused a write (message names the path and strerror).
Status write_safetensors(const std::filesystem::path& path,
                         const std::vector<std::pair<std::string, Tensor>>& tensors,
                         const std::map<std::string, std::string>& metadata = {});

}  // namespace dc
