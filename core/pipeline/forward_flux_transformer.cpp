// dcgen forward for FluxTransformer2DModel: the arguments of its forward ->
// "sample" (FluxTransformer2DModel(...).sample).
//   hidden_states [B, L, in_channels], encoder_hidden_states [B, T, joint_attention_dim],
//   pooled_projections [B, pooled_projection_dim], timestep [B] (sigma; x1000 inside),
//   img_ids [L, A] (or [B, L, A]), txt_ids [T, A], guidance [B] (guidance_embeds models only).
#include "core/models/flux/flux_transformer.h"
#include "core/pipeline/component_inputs.h"

namespace dc::pipeline {

Result<NamedTensors> run_flux_transformer(const std::filesystem::path& folder, const NamedTensors& inputs,
                                          const ForwardOptions& options) {
  // Presence first: cheap, and it names the missing input before a large load.
  for (const char* name :
       {"hidden_states", "encoder_hidden_states", "pooled_projections", "timestep", "img_ids", "txt_ids"}) {
    DC_TRY(Tensor present, required_input(inputs, name));
    (void)present;
  }
  DC_TRY(auto model, models::flux::FluxTransformer::load(folder, options.load));
  models::flux::FluxInputs in;
  const std::pair<const char*, Tensor*> floats[] = {
      {"hidden_states", &in.hidden_states},
      {"encoder_hidden_states", &in.encoder_hidden_states},
      {"pooled_projections", &in.pooled_projections},
  };
  for (const auto& [name, slot] : floats) {
    DC_TRY(*slot, float_input(inputs.at(name), name, options.load));
  }
  // Per-sample scalars and position ids stay as given: the model reads them on the host.
  in.timestep = inputs.at("timestep");
  in.img_ids = inputs.at("img_ids");
  in.txt_ids = inputs.at("txt_ids");
  if (auto it = inputs.find("guidance"); it != inputs.end()) in.guidance = it->second;
  DC_TRY_STATUS(model->validate(in));
  DC_TRY(Tensor sample, catch_errors([&] { return to_f32_cpu(model->forward(in)); }));
  return NamedTensors{{"sample", sample}};
}

}  // namespace dc::pipeline
