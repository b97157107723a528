// LoRA files: low-rank weight updates stored in a .safetensors file, read in the
// layouts FLUX LoRAs ship in into one format-neutral list of layers. What a layer
// adds to its module's weight is ΔW = scale · up · down (times the user's strength).
//
//   DC_TRY(LoRAFile lora, read_lora_file("watercolor.safetensors"));
//   for (const LoRALayer& l : lora.layers) ...   // l.module, l.up [out, r], l.down [r, in], l.scale
//
// Layouts (the ones diffusers 0.42 FluxLoraLoaderMixin.lora_state_dict reads for FLUX):
//  * kohya (sd-scripts, and most downloads): module names of the original FLUX code
//    (BFL's flux repo) with '_' for '.', under "lora_unet_":
//        lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight   [r, in]
//        lora_unet_double_blocks_0_img_attn_qkv.lora_up.weight     [out, r]
//        lora_unet_double_blocks_0_img_attn_qkv.alpha              scalar, optional (default r)
//    scale = alpha / r. ComfyUI's "diffusion_model.<dotted BFL name>.lora_{down,up}.weight"
//    (or .lora_{A,B}.weight) is the same naming with dots, and is read as kohya.
//    core/io/lora/flux_bfl_names.h maps these names onto diffusers' modules.
//  * diffusers / PEFT (diffusers' save_lora_weights and trainers built on it):
//        transformer.transformer_blocks.0.attn.to_q.lora_A.weight  [r, in]
//        transformer.transformer_blocks.0.attn.to_q.lora_B.weight  [out, r]
//    scale = lora_alpha / r (or / sqrt(r) with use_rslora), from the "lora_adapter_metadata"
//    JSON diffusers writes into the file's metadata ("transformer.lora_alpha", a per-module
//    "transformer.alpha_pattern"); else from "<module>.alpha" tensors, where a module
//    without one takes the most common alpha (diffusers' get_peft_kwargs rule); else 1.
// Text-encoder layers (lora_te*_, text_encoder*.) are listed by name and not read.
// Anything else (an unknown key, DoRA / LoKr / LoHa parts, a down without its up,
// ranks that disagree, a truncated file) is an Error naming the file and the key.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc {

enum class LoRANaming {
  kBFL,        // the original FLUX module names: kohya "double_blocks_0_img_attn_qkv" (ComfyUI dots become '_')
  kDiffusers,  // diffusers module paths: "transformer_blocks.0.attn.to_q"
};
const char* lora_naming_name(LoRANaming naming);  // "kohya (BFL names)", "diffusers/PEFT"

struct LoRALayer {
  std::string module;  // as named by the file, prefix stripped (see LoRANaming)
  std::string key;     // the file's tensor key of `down`, for messages
  Tensor down;         // [r, in] CPU, the file's float dtype (a zero-copy view of the file)
  Tensor up;           // [out, r]
  float scale = 1.0f;  // alpha / r, as the layout defines it
  int64_t rank() const { return down.size(0); }
};

struct LoRAFile {
  std::filesystem::path path;
  LoRANaming naming = LoRANaming::kBFL;
  std::vector<LoRALayer> layers;                 // the denoiser's layers, in the file's order
  std::vector<std::string> text_encoder_layers;  // names of text-encoder layers (not applied)
};

// kNotFound (missing file), kFormat (not a valid LoRA file: the message names the
// path and the offending key), kNotSupported (a known variant we cannot apply: DoRA,
// LyCORIS, LoRA biases).
Result<LoRAFile> read_lora_file(const std::filesystem::path& path);

}  // namespace dc
