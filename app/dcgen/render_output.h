// Writing a rendered shot: the image (PNG/EXR/TIFF with the generation
// parameters, or safetensors) put in place atomically, then its render record,
// so a killed render leaves whole files and a resume knows what is finished.
#pragma once

#include <filesystem>
#include <string>

#include "core/base/result.h"
#include "core/engine/job.h"
#include "core/project/project.h"
#include "core/project/render_plan.h"

namespace dcgen {

// kNotSupported when this build cannot write the project's image format
// (PNG/EXR/TIFF need OpenImageIO).
dc::Status check_image_format_supported(const std::string& image_format);

// <out_dir>/<shot id>.<ext> via a temporary + fsync + rename, then
// <out_dir>/<shot id>.done.json. `device`: "cpu" or "cuda", recorded in the metadata;
// `lora_contents`: lora_file_hashes of the shot, part of the record's fingerprint.
dc::Result<dc::project::RenderRecord> write_shot_output(const std::filesystem::path& out_dir,
                                                        const dc::project::Project& project,
                                                        const dc::project::Shot& shot,
                                                        const dc::engine::JobOutput& output,
                                                        const std::string& device,
                                                        const std::vector<std::string>& lora_contents);

}  // namespace dcgen
