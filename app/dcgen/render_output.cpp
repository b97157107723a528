#include "app/dcgen/render_output.h"

#include <cstdio>

#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/copy.h"
#include "core/pipeline/generation_metadata.h"
#include "core/project/atomic_file.h"
#include "core/project/content_hash.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dcgen {

namespace fs = std::filesystem;
using dc::project::Project;
using dc::project::Shot;

dc::Status check_image_format_supported(const std::string& image_format) {
#ifndef DC_HAVE_OIIO
  if (image_format != "safetensors") {
    return dc::Error::not_supported("this dcgen was built without OpenImageIO, so it cannot write " + image_format +
                                    " images: set the project's output.image_format to \"safetensors\", or rebuild "
                                    "with libopenimageio-dev");
  }
#endif
  return dc::ok_status();
}

dc::Result<dc::project::RenderRecord> write_shot_output(const fs::path& out_dir, const Project& project,
                                                        const Shot& shot, const dc::engine::JobOutput& output,
                                                        const std::string& device,
                                                        const std::vector<std::string>& lora_contents) {
  const std::string name = dc::project::shot_output_name(project, shot);
  const fs::path dest = out_dir / name;
  const fs::path temp = dc::project::atomic_temp_path(dest);
  const dc::Tensor image = output.image.images.slice(0, 0, 1);  // [1, 3, H, W]
  const std::string& schedule = output.image.sigma_schedule;
  dc::pipeline::GenerationRecord facts;
  facts.model = output.model.name;
  facts.demo_model = output.model.demo;
  facts.prompt = shot.prompt;
  facts.negative_prompt = shot.negative_prompt;
  facts.sampler = shot.sampler;
  facts.schedule = schedule;
  facts.steps = shot.steps;
  facts.width = shot.width;
  facts.height = shot.height;
  facts.max_sequence_length = output.image.max_sequence_length;
  facts.guidance = shot.guidance;
  facts.true_cfg_scale = shot.true_cfg_scale;
  facts.seed = shot.seed;
  facts.device = device;
  facts.loras = output.image.loras;
  facts.extra = {{"project", project.name}, {"shot", shot.id}};
  const std::map<std::string, std::string> metadata = dc::pipeline::generation_metadata(facts);
  dc::Status written;
  if (project.output.image_format == "safetensors") {
    written = dc::write_safetensors(temp, {{"image", dc::ops::contiguous(image)}}, metadata);
  } else {
#ifdef DC_HAVE_OIIO
    written = dc::write_image(temp, image, metadata);
#else
    written = check_image_format_supported(project.output.image_format);
#endif
  }
  std::error_code ec;
  if (!written) {
    fs::remove(temp, ec);
    return std::move(written).error();
  }
  const uint64_t bytes = fs::file_size(temp, ec);
  dc::Result<std::string> hash = dc::project::file_hash(temp);
  if (ec || !hash) {
    fs::remove(temp, ec);
    return hash ? dc::Error::io(temp.string() + ": cannot read its size") : std::move(hash).error();
  }
  DC_TRY_STATUS(dc::project::commit_atomic(temp, dest));
  const dc::project::RenderRecord record{shot.id, name, bytes, *hash, dc::project::shot_fingerprint(project, shot, lora_contents)};
  DC_TRY_STATUS(dc::project::write_render_record(out_dir, record));
  return record;
}

}  // namespace dcgen
