// The scale of each layer of a diffusers/PEFT LoRA file (see lora_file.h): PEFT's
// LoraConfig rules as diffusers 0.42 builds the config (utils/peft_utils.py
// _create_lora_config, get_peft_kwargs) and PEFT 0.21 applies it (LoraLayer.update_layer,
// utils/other.py get_pattern_key).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/io/lora/lora_file.h"

namespace dc {

// Sets every layer's scale = alpha / r (r: the layer's rank; / sqrt(r) with use_rslora):
//  * `metadata` has "lora_adapter_metadata": its "transformer.lora_alpha" (PEFT's default 8
//    when absent) and "transformer.alpha_pattern" (first pattern p, in file order, with
//    regex "(.*\.)?(p)" matching the whole module name);
//  * else `alphas` (module -> the file's "<module>.alpha"): a module's own, else the most
//    common value (ties: the first in file order);
//  * else 1.
// kFormat naming `context` for unreadable metadata; kNotSupported for DoRA or LoRA biases.
Status set_peft_scales(const std::map<std::string, std::string>& metadata,
                       const std::vector<std::pair<std::string, float>>& alphas, std::vector<LoRALayer>& layers,
                       const std::string& context);

}  // namespace dc
