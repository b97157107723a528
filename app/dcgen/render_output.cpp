#include "app/dcgen/render_output.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/copy.h"
#include "core/project/atomic_file.h"
#include "core/project/content_hash.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dcgen {
namespace {

namespace fs = std::filesystem;
using dc::project::Project;
using dc::project::Shot;

constexpr const char* kGenerator = "DC Studio dcgen 0.1.0";

// The widely read A1111-style "parameters" text (as dcgen generate writes it).
std::string parameters_text(const Shot& s, const std::string& model, const std::string& schedule) {
  std::string text = s.prompt + "\n";
  if (!s.negative_prompt.empty()) text += "Negative prompt: " + s.negative_prompt + "\n";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "Steps: %d, Sampler: Euler (flow matching), Schedule type: %s, CFG scale: %g, Distilled CFG Scale: %g, "
                "Seed: %llu, Size: %dx%d, Model: %s, Version: %s",
                s.steps, schedule.c_str(), s.true_cfg_scale, s.guidance, static_cast<unsigned long long>(s.seed),
                s.width, s.height, model.c_str(), kGenerator);
  return text + buf;
}

std::string parameters_json(const Project& p, const Shot& s, const std::string& model, const std::string& schedule,
                            const std::string& device) {
  const nlohmann::json j = {{"generator", kGenerator},
                            {"project", p.name},
                            {"shot", s.id},
                            {"model", model},
                            {"prompt", s.prompt},
                            {"negative_prompt", s.negative_prompt},
                            {"steps", s.steps},
                            {"sampler", s.sampler},
                            {"schedule", schedule},
                            {"guidance", s.guidance},
                            {"true_cfg_scale", s.true_cfg_scale},
                            {"seed", s.seed},
                            {"width", s.width},
                            {"height", s.height},
                            {"device", device}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

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
                                                        const std::string& device) {
  const std::string name = dc::project::shot_output_name(project, shot);
  const fs::path dest = out_dir / name;
  const fs::path temp = dc::project::atomic_temp_path(dest);
  const dc::Tensor image = output.image.images.slice(0, 0, 1);  // [1, 3, H, W]
  const std::string& schedule = output.image.sigma_schedule;
  const std::map<std::string, std::string> metadata = {
      {"parameters", parameters_text(shot, output.model.name, schedule)},
      {"dcstudio", parameters_json(project, shot, output.model.name, schedule, device)},
      {"Software", kGenerator}};
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
  const dc::project::RenderRecord record{shot.id, name, bytes, *hash, dc::project::shot_fingerprint(project, shot)};
  DC_TRY_STATUS(dc::project::write_render_record(out_dir, record));
  return record;
}

}  // namespace dcgen
