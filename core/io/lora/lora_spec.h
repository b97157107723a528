// A LoRA a job asks for: which file, how strongly. Plain data shared by requests,
// engine jobs and projects (core/pipeline/text_to_image.h, core/engine/job.h).
#pragma once

#include <filesystem>

namespace dc {

struct LoRASpec {
  std::filesystem::path file;  // .safetensors (lora_file.h lists the layouts read)
  double strength = 1.0;       // multiplies the LoRA's ΔW; 0 leaves the model as it is, negative inverts it
};

}  // namespace dc
