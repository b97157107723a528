#include "core/engine/shot_job.h"

#include "core/project/project_file.h"

namespace dc::engine {

Result<JobSpec> job_for_shot(const project::Project& project, const project::Shot& shot,
                             const std::filesystem::path& project_file) {
  const project::ModelRef* model = project.find_model(shot.model);
  if (!model) return Error::invalid_argument("shot \"" + shot.id + "\" names unknown model \"" + shot.model + "\"");
  if (shot.sampler != "flow_match_euler") {
    return Error::not_supported("shot \"" + shot.id + "\": sampler \"" + shot.sampler + "\" is not available");
  }
  JobSpec spec;
  spec.kind = shot.type == project::ShotType::kVideo ? JobKind::kTextToVideo : JobKind::kTextToImage;
  spec.model_folder = project::resolve_project_path(project_file, model->folder);
  spec.label = shot.id;
  pipeline::TextToImageRequest& r = spec.request;
  r.prompt = shot.prompt;
  r.negative_prompt = shot.negative_prompt;
  r.true_cfg_scale = static_cast<float>(shot.true_cfg_scale);
  r.guidance = static_cast<float>(shot.guidance);
  r.steps = shot.steps;
  r.width = shot.width;
  r.height = shot.height;
  r.batch = 1;
  r.seed = shot.seed;
  r.shift = pipeline::sigma_shift_from_name(shot.schedule);
  spec.frames = shot.frames;
  spec.fps = shot.fps;
  for (const project::LoRARef& l : shot.loras)
    spec.loras.push_back({project::resolve_project_path(project_file, l.path), l.strength});
  return spec;
}

}  // namespace dc::engine
