// Where the embedded demo model lives: the small DC-Gen-FLUX pipeline folder
// trained by resources/demo_model/train, which `dcgen generate` and the app use
// when no model is chosen, so a fresh install makes pictures with no download.
#pragma once

#include <filesystem>
#include <vector>

#include "core/base/result.h"

namespace dc::pipeline {

inline constexpr const char* kDemoModelFolder = "dc-gen-flux-demo";

// Where to look, in order:
//   1. $DC_DEMO_MODEL (a pipeline folder; "off" hides the demo model: nothing is found),
//   2. <executable's folder>/../share/dcstudio/models/dc-gen-flux-demo (an install),
//   3. <source tree>/resources/demo_model/dc-gen-flux-demo (a build tree).
std::vector<std::filesystem::path> demo_model_search_path();

// The first candidate holding a model_index.json; Error::not_found lists every
// place looked at and how to choose a model instead.
Result<std::filesystem::path> first_pipeline_folder(const std::vector<std::filesystem::path>& candidates);

inline Result<std::filesystem::path> embedded_demo_model() {
  return first_pipeline_folder(demo_model_search_path());
}

}  // namespace dc::pipeline
