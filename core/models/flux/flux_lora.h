// LoRAs merged into a FluxTransformer's weights, and switched between jobs.
//
//   FluxLoRAStack loras;   // one per loaded transformer; reset it when the model is reloaded
//   DC_TRY(bool changed, loras.apply(*model, transformer_dir, load_options, {{"ink.safetensors", 0.8}}));
//   ... forward() runs with base + 0.8 · ΔW ...
//   DC_TRY(changed, loras.apply(*model, transformer_dir, load_options, {}));   // the base weights again
//
// Merging. Each LoRA layer (core/io/lora/lora_file.h; kohya/BFL names mapped by
// core/io/lora/flux_bfl_names.h) adds strength · scale · up · down to rows of a
// diffusers module's weight (nn::add_low_rank: f32 on the weight's device, rounded
// once into its dtype). The transformer's fused matrices — q/k/v per stream, the
// single blocks' q/k/v + proj_mlp, every adaLN linear (fused_weights.h) — are made
// of those modules' rows, so a BFL "img_attn_qkv" or "linear1" update lands in the
// right rows of them, on the CPU and in bf16/CUDA weights alike.
//
// Unmerging. Switching sets reads the weights the previous set touched back from
// the transformer's checkpoint (nn::Module::reload_parameter) instead of
// subtracting ΔW: a subtraction in bf16 leaves up to an ulp of error per weight and
// switch, which accumulates, and would make a job's image depend on the jobs run
// before it. Only touched tensors are read (memory-mapped, usually in the page
// cache); nothing is re-allocated or re-fused, and the base weights come back
// bit for bit.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/io/lora/lora_file.h"
#include "core/io/lora/lora_spec.h"
#include "core/models/flux/flux_transformer.h"

namespace dc::models::flux {

// One update of a LoRA resolved against a model: W[weight_row : weight_row + n] += f · up · down.
struct FluxLoRAUpdate {
  const nn::Parameter* weight = nullptr;  // the module's "weight" [N, K]
  int64_t weight_row = 0;
  Tensor up;                              // [n, r] (rows of the file's up)
  Tensor down;                            // [r, K]
  float scale = 1.0f;                     // the file's alpha / r
};

// Every layer of `lora` matched to `model`'s parameters; kFormat naming the file and
// the key for a layer the model does not have or whose shapes do not fit it.
Result<std::vector<FluxLoRAUpdate>> resolve_flux_lora(const FluxTransformer& model, const LoRAFile& lora);

// Adds strength · scale · up · down of every update to `model`'s weights. Throws
// ErrorException on device errors (out of memory).
void merge_flux_lora(FluxTransformer& model, const std::vector<FluxLoRAUpdate>& updates, double strength);

// A merged LoRA, for metadata and logs.
struct MergedLoRA {
  LoRASpec spec;
  std::string name;    // the file's stem ("watercolor" for watercolor.safetensors), as A1111 names LoRAs
  std::string sha256;  // lora_file_hash(): A1111 "Lora hashes" / Civitai AutoV3
};

class FluxLoRAStack {
 public:
  // Makes `model`'s weights its checkpoint's (in `transformer_dir`, loaded with
  // `options`) plus each LoRA's ΔW at its strength, in order. Returns false, doing
  // nothing, when `loras` is the set merged now (same files unchanged on disk, same
  // strengths and order). Every file is read and checked against the model before a
  // weight changes: an Error leaves the weights as they were, unless consistent()
  // turns false (a failure midway, e.g. out of device memory), after which the
  // model must be reloaded. `warn` hears about layers not applied (text encoders).
  Result<bool> apply(FluxTransformer& model, const std::filesystem::path& transformer_dir,
                     const nn::LoadOptions& options, const std::vector<LoRASpec>& loras,
                     const std::function<void(const std::string&)>& warn = {});

  const std::vector<MergedLoRA>& merged() const { return merged_; }
  bool consistent() const { return consistent_; }

 private:
  struct FileState {  // what makes a merged file the same file later
    std::filesystem::path path;
    double strength = 0;
    uintmax_t size = 0;
    std::filesystem::file_time_type modified;
    bool operator==(const FileState&) const = default;
  };
  Result<std::vector<FileState>> file_states(const std::vector<LoRASpec>& loras) const;

  const FluxTransformer* model_ = nullptr;
  std::vector<FileState> states_;
  std::vector<MergedLoRA> merged_;
  std::vector<const nn::Parameter*> touched_;  // weights that differ from the checkpoint
  bool consistent_ = true;
  std::map<std::string, std::string> hashes_;  // "path|size|time" -> lora_file_hash (hashing reads the whole file)
};

}  // namespace dc::models::flux
