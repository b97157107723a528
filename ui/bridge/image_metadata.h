// The text stored with every image the app writes: core's generation metadata
// (core/pipeline/generation_metadata.h, the same "parameters" and "dcstudio"
// attributes `dcgen generate` writes) filled from an engine job and its output,
// so an image made in the app can be re-made on the command line and vice versa.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/engine/job.h"
#include "core/pipeline/generation_metadata.h"

namespace dc::ui {

// `seed`: this image's (seed + k in a batch); `device`: "cpu" or "cuda".
pipeline::GenerationRecord generation_record(const engine::JobSpec& spec, const engine::JobOutput& output,
                                             uint64_t seed, const std::string& device);

inline std::map<std::string, std::string> image_metadata(const engine::JobSpec& spec,
                                                         const engine::JobOutput& output, uint64_t seed,
                                                         const std::string& device) {
  return pipeline::generation_metadata(generation_record(spec, output, seed, device));
}

}  // namespace dc::ui
