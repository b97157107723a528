// The text metadata stored with every generated image (PNG tEXt, EXR/TIFF
// attributes, safetensors metadata): "parameters" in the A1111 form most image
// tools read, "dcstudio" as JSON with the same facts, and "Software".
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/pipeline/text_to_image.h"

namespace dc::pipeline {

struct GenerationRecord {
  std::string model;  // the pipeline folder's name
  std::string prompt, prompt_2, negative_prompt;
  std::string sampler = "flow_match_euler";
  std::string schedule;  // "flux" / "flux2"
  int steps = 0, width = 0, height = 0, max_sequence_length = 0;
  double guidance = 0, true_cfg_scale = 1;
  uint64_t seed = 0;
  std::string device;  // "cpu" / "cuda"
  bool demo_model = false;  // made by a demo model (its model card says so): JSON "demo_model": true
  // In A1111's form: "<lora:name:strength>" after the prompt (as A1111 users type them, so the
  // prompt pasted back applies them) and `Lora hashes: "name: <12 hex>, ..."`; JSON "loras".
  std::vector<AppliedLoRA> loras;
  std::vector<std::pair<std::string, std::string>> extra;  // more JSON string fields (project, shot)
};

inline constexpr const char* kGeneratorName = "DC Studio dcgen 0.1.0";

std::map<std::string, std::string> generation_metadata(const GenerationRecord& record);

}  // namespace dc::pipeline
