// An optional `dcstudio.json` beside a pipeline folder's model_index.json: what
// DC Studio should know about a model that diffusers' files do not say (its
// native resolution, a label for menus, that it is a demo). diffusers ignores
// the file, so the folder stays loadable by the reference pipeline.
//
//   {"label": "DC Studio demo model (colored shapes)", "default_width": 512,
//    "default_height": 512, "demo": true, "notes": "trained by resources/demo_model/train"}
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/base/result.h"

namespace dc::pipeline {

inline constexpr const char* kModelCardFile = "dcstudio.json";

struct ModelCard {
  std::string label;       // a name for menus and metadata; empty: the folder's name
  int default_width = 0;   // the resolution the model was made for; 0: not declared
  int default_height = 0;
  bool demo = false;       // a project-trained demo, not a real checkpoint (outputs are labelled so)
  std::string notes;
};

// std::nullopt when the folder has no dcstudio.json; an error naming the file
// and key when it is malformed (not JSON, wrong types, sizes not positive
// multiples of 16 up to 16384).
Result<std::optional<ModelCard>> read_model_card(const std::filesystem::path& pipeline_dir);

}  // namespace dc::pipeline
