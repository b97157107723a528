// One .safetensors file, memory-mapped, its header validated on open.
//
//   DC_TRY(auto file, SafetensorsFile::open("transformer/diffusion_pytorch_model.safetensors"));
//   for (const std::string& name : file->tensor_names()) ...
//   DC_TRY(Tensor w, file->tensor("transformer_blocks.0.attn1.to_q.weight"));  // zero-copy CPU view
//
// Tensors returned by tensor() share the mapping (their Storage owns a reference
// to it), so they stay valid after the SafetensorsFile is gone. The mapping is
// read-only: writing into such a tensor faults. Copy (ops::clone) or upload
// (ops::to_device) before modifying weights in place.
//
// Zero-copy requires each tensor to start at an address aligned to its element
// size. The format does not promise that (it only pads the header to 8 bytes,
// and foreign writers may not lay tensors out by alignment); such a tensor is
// returned as a copy in a fresh 64-byte-aligned allocation instead. Our writer
// (safetensors_writer.h) always produces aligned files.
//
// Immutable after open(): tensors may be read from several threads at once.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/io/safetensors/mapped_file.h"
#include "core/io/safetensors/safetensors_header.h"
#include "core/tensor/tensor.h"

namespace dc {

class SafetensorsFile {
 public:
  // Maps the file and validates the whole header (see safetensors_header.h for
  // the rules). Errors name the path and, where relevant, the tensor.
  static Result<std::shared_ptr<SafetensorsFile>> open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  // Tensor names in the order of their data offsets.
  const std::vector<std::string>& tensor_names() const { return names_; }
  size_t size() const { return names_.size(); }
  bool contains(std::string_view name) const { return infos_.find(name) != infos_.end(); }
  // kNotFound naming the file and tensor if absent.
  Result<TensorInfo> info(std::string_view name) const;
  // The `__metadata__` string map (empty if the file has none).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // A CPU tensor over the mapped bytes (see the alignment note above). kNotFound
  // if absent; kOutOfMemory if an unaligned tensor's copy cannot be allocated.
  Result<Tensor> tensor(std::string_view name) const;

  // The whole mapped file: lets callers (and tests) tell a view from a copy.
  std::span<const uint8_t> mapped_bytes() const { return mapping_->bytes(); }
  uint64_t data_start() const { return data_start_; }  // file offset of the data section

 private:
  SafetensorsFile() = default;

  std::filesystem::path path_;
  std::shared_ptr<MappedFile> mapping_;  // never modified; shared with every zero-copy Storage
  uint64_t data_start_ = 0;
  std::vector<std::string> names_;
  std::map<std::string, TensorInfo, std::less<>> infos_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace dc
