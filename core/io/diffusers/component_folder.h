// One component folder of a diffusers pipeline (transformer/, vae/, text_encoder/):
// its config.json and its safetensors weights, single-file or sharded.
//
//   DC_TRY(ComponentFolder vae, open_component(root / "vae"));
//   DC_TRY(int64_t latent_channels, vae.config.get_int("latent_channels"));
//   DC_TRY(Tensor w, vae.weights.tensor("encoder.conv_in.weight"));
//
// Weights are looked up in this order (diffusers names first, then transformers):
//   diffusion_pytorch_model.safetensors, diffusion_pytorch_model.safetensors.index.json,
//   model.safetensors, model.safetensors.index.json.
// With a `variant` ("fp16", "bf16") the same names with ".<variant>" before
// ".safetensors" are required instead. Without one, a variant file is used only
// when the folder holds exactly one variant and no plain weights.
// PyTorch pickles (.bin, .pt, .ckpt) are never loaded (unpickling runs code):
// a folder with only those is kNotSupported, asking for a safetensors conversion.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/base/result.h"
#include "core/io/diffusers/config_reader.h"
#include "core/io/safetensors/checkpoint.h"

namespace dc {

struct ComponentFolder {
  std::filesystem::path dir;
  ConfigReader config;
  Checkpoint weights;
};

// kNotFound: `dir` or its config.json or weights missing; kInvalidArgument: `dir`
// is a file; kNotSupported: pickle-only weights; plus the errors of
// ConfigReader::from_file and Checkpoint::open.
Result<ComponentFolder> open_component(const std::filesystem::path& dir, std::string_view variant = {});

// The weights file open_component would use (a .safetensors file or an index).
Result<std::filesystem::path> find_component_weights(const std::filesystem::path& dir,
                                                     std::string_view variant = {});

}  // namespace dc
