// dcgen forward for AutoencoderDC: "sample" -> "latent" (encode), "latent" -> "sample" (decode).
#include "core/models/dcae/autoencoder_dc.h"
#include "core/pipeline/component_inputs.h"

namespace dc::pipeline {
namespace {

Result<Tensor> image_input(const NamedTensors& inputs, const std::string& name, int64_t channels,
                           const nn::LoadOptions& load) {
  const Tensor& t = inputs.at(name);
  if (t.dim() != 4 || t.size(1) != channels) {
    return Error::invalid_argument("input '" + name + "' must be [N, " + std::to_string(channels) +
                                   ", H, W], got " + t.describe());
  }
  return float_input(t, name, load);
}

}  // namespace

Result<NamedTensors> run_autoencoder_dc(const std::filesystem::path& folder, const NamedTensors& inputs,
                                        const ForwardOptions& options) {
  const bool has_sample = inputs.count("sample") > 0, has_latent = inputs.count("latent") > 0;
  if (!has_sample && !has_latent) {
    return Error::invalid_argument("AutoencoderDC needs input 'sample' (to encode) or 'latent' (to decode)");
  }
  DC_TRY(auto model, models::dcae::AutoencoderDC::load(folder, options.load));
  const auto& cfg = model->config();
  NamedTensors outputs;
  if (has_sample) {
    DC_TRY(Tensor x, image_input(inputs, "sample", cfg.in_channels, options.load));
    DC_TRY(Tensor z, catch_errors([&] { return to_f32_cpu(model->encode(x)); }));
    outputs["latent"] = z;
  }
  if (has_latent) {
    DC_TRY(Tensor z, image_input(inputs, "latent", cfg.latent_channels, options.load));
    DC_TRY(Tensor y, catch_errors([&] {
             return to_f32_cpu(options.tiled_decode ? model->decode_tiled(z, {}) : model->decode(z));
           }));
    outputs["sample"] = y;
  }
  return outputs;
}

}  // namespace dc::pipeline
