#include "ui/bridge/image_metadata.h"

namespace dc::ui {

pipeline::GenerationRecord generation_record(const engine::JobSpec& spec, const engine::JobOutput& output,
                                             uint64_t seed, const std::string& device) {
  const pipeline::TextToImageRequest& r = spec.request;
  pipeline::GenerationRecord record;
  record.model = output.model.name;
  record.demo_model = output.model.demo;
  record.prompt = r.prompt;
  record.prompt_2 = r.prompt_2;
  record.negative_prompt = r.negative_prompt;
  record.schedule = output.image.sigma_schedule;
  record.steps = r.steps;
  record.width = r.width;
  record.height = r.height;
  record.max_sequence_length = output.image.max_sequence_length;
  record.guidance = r.guidance;
  record.true_cfg_scale = r.true_cfg_scale;
  record.seed = seed;
  record.device = device;
  record.loras = output.image.loras;  // what the pipeline merged, with their hashes
  return record;
}

}  // namespace dc::ui
