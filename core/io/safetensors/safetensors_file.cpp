#include "core/io/safetensors/safetensors_file.h"

#include <algorithm>
#include <cstring>

namespace dc {

Result<std::shared_ptr<SafetensorsFile>> SafetensorsFile::open(const std::filesystem::path& path) {
  DC_TRY(MappedFile mapping, MappedFile::open(path));
  DC_TRY(SafetensorsHeader header, parse_safetensors_header(mapping.bytes(), path.string()));

  SafetensorsFile file;
  file.path_ = path;
  file.mapping_ = std::make_shared<MappedFile>(std::move(mapping));
  file.data_start_ = header.data_start;
  file.metadata_ = std::move(header.metadata);
  file.names_.reserve(header.tensors.size());
  for (auto& [name, info] : header.tensors) {
    file.names_.push_back(name);
    file.infos_.emplace(std::move(name), std::move(info));
  }
  return std::make_shared<SafetensorsFile>(std::move(file));
}

Result<TensorInfo> SafetensorsFile::info(std::string_view name) const {
  auto it = infos_.find(name);
  if (it == infos_.end())
    return Error::not_found(path_.string() + ": no tensor '" + std::string(name) + "'");
  return it->second;
}

Result<Tensor> SafetensorsFile::tensor(std::string_view name) const {
  DC_TRY(TensorInfo info, this->info(name));
  // Validated on open: data_start + offset + size <= file size.
  const uint8_t* bytes = mapping_->data() + data_start_ + info.offset;
  const size_t element_bytes = static_cast<size_t>(std::max(dtype_bits(info.dtype) / 8, 1));

  if (reinterpret_cast<uintptr_t>(bytes) % element_bytes == 0) {
    // The storage's owner is the mapping itself: the tensor keeps it alive.
    auto storage = std::make_shared<Storage>(const_cast<uint8_t*>(bytes), info.size, Device::cpu(), mapping_);
    return Tensor::from_storage(std::move(storage), info.shape, info.dtype);
  }

  auto storage = Storage::allocate(info.size, Device::cpu());
  if (!storage)
    return Error(storage.error()).with_context(path_.string() + ": copying unaligned tensor '" +
                                               std::string(name) + "'");
  std::memcpy((*storage)->data(), bytes, info.size);
  return Tensor::from_storage(std::move(*storage), info.shape, info.dtype);
}

}  // namespace dc
