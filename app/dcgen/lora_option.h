// `--lora FILE[:STRENGTH]` (repeatable): the LoRAs a dcgen job merges, in order.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/base/result.h"
#include "core/io/lora/lora_spec.h"

namespace dcgen {

// Adds the option to `command`, collecting raw values into `values`.
void add_lora_option(CLI::App* command, std::vector<std::string>& values);

// "style.safetensors:0.8" -> {style.safetensors, 0.8}; no ":NUMBER" suffix means strength 1
// (so paths with ':' still work). kInvalidArgument for an empty path or a non-finite strength.
dc::Result<std::vector<dc::LoRASpec>> parse_lora_options(const std::vector<std::string>& values);

}  // namespace dcgen
