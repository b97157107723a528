// The tensors of one model: a single .safetensors file or a sharded checkpoint
// (`*.safetensors.index.json` whose `weight_map` maps each tensor to a shard
// file in the same folder, as written by diffusers/transformers save_pretrained).
//
//   DC_TRY(Checkpoint ckpt, Checkpoint::open("transformer/diffusion_pytorch_model.safetensors.index.json"));
//   DC_TRY(Tensor w, ckpt.tensor("transformer_blocks.0.attn1.to_q.weight"));
//   for (const auto& name : ckpt.unused(bound_names)) log(kWarning, "unused weight " + name);
//
// An index is validated on open: `weight_map` is an object of strings; shard
// names are plain file names (no '/', '\\' or '..': no escaping the folder);
// every shard exists and passes SafetensorsFile's header validation; every
// mapped tensor is present in its shard. Tensors a shard holds but the index does
// not map are not part of the checkpoint (the index is the authority).
// Copies are cheap (the files are shared) and, being immutable, safe to read
// from several threads.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/io/safetensors/safetensors_file.h"

namespace dc {

class Checkpoint {
 public:
  // `path` is a .safetensors file or a sharded index (a name ending in ".json").
  static Result<Checkpoint> open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }  // the file or index opened
  bool is_sharded() const { return sharded_; }
  const std::vector<std::shared_ptr<SafetensorsFile>>& files() const { return files_; }

  // Names by shard (shard file names sorted, so model-00001-of-00003 first) and,
  // within a shard, by data offset.
  const std::vector<std::string>& tensor_names() const { return names_; }
  size_t size() const { return names_.size(); }
  bool contains(std::string_view name) const { return where_.find(name) != where_.end(); }
  // kNotFound naming the checkpoint and the tensor if absent.
  Result<TensorInfo> info(std::string_view name) const;
  Result<Tensor> tensor(std::string_view name) const;  // zero-copy, see SafetensorsFile::tensor
  // The file holding `name`, or null.
  const SafetensorsFile* file_of(std::string_view name) const;
  // Metadata of a single file, or the index's "metadata" object flattened to
  // strings (numbers such as total_size are written in JSON form).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // Tensors not in `used`, in tensor_names() order: keys a model did not bind.
  std::vector<std::string> unused(const std::set<std::string>& used) const;

 private:
  static Result<Checkpoint> open_index(const std::filesystem::path& index_path);
  Error missing(std::string_view name) const;

  std::filesystem::path path_;
  bool sharded_ = false;
  std::vector<std::shared_ptr<SafetensorsFile>> files_;
  std::vector<std::string> names_;
  std::map<std::string, size_t, std::less<>> where_;  // name -> index into files_
  std::map<std::string, std::string> metadata_;
};

}  // namespace dc
