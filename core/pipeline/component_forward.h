// Runs one model component from a diffusers component folder on named input
// tensors: the contract behind `dcgen forward`, used by parity scripts.
//
//   AutoencoderDC: input "sample" [N,3,H,W] -> output "latent" (encode(x).latent, unscaled)
//                  input "latent" [N,C,h,w] -> output "sample" (decode(z).sample)
//   FluxTransformer2DModel: "hidden_states", "encoder_hidden_states", "pooled_projections",
//                  "timestep", "img_ids", "txt_ids", optional "guidance" -> "sample"
//   CLIPTextModel: "input_ids" (int64), optional "attention_mask" -> "last_hidden_state",
//                  "pooler_output", "penultimate_hidden_state"
//   T5EncoderModel: "input_ids", optional "attention_mask" -> "last_hidden_state"
//
// Unknown component classes, missing or misshaped inputs are Errors
// (kNotSupported / kInvalidArgument) with a message naming the input.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/base/result.h"
#include "core/nn/module.h"
#include "core/tensor/tensor.h"

namespace dc::pipeline {

using NamedTensors = std::map<std::string, Tensor>;

struct ForwardOptions {
  nn::LoadOptions load;                // device and compute dtype
  bool tiled_decode = false;           // AutoencoderDC: decode in tiles
  bool dump_taps = false;              // also return every tap as "tap:<path>"
};

// Outputs are f32 CPU tensors.
Result<NamedTensors> run_component(const std::filesystem::path& folder, const NamedTensors& inputs,
                                   const ForwardOptions& options);

// Class names run_component understands (for --help and error messages).
std::vector<std::string> supported_component_classes();

}  // namespace dc::pipeline
