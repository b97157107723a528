// run_component for AutoencoderKL folders (decode only): input "latent"
// [N, latent_channels, h, w] (un-scaled, un-shifted, as vae.decode takes it) ->
// output "sample" [N, out_channels, h·f, w·f]. Encoding is kNotSupported.
#include <optional>

#include "core/models/autoencoder_kl/autoencoder_kl.h"
#include "core/nn/tap.h"
#include "core/pipeline/component_inputs.h"

namespace dc::pipeline {

Result<NamedTensors> run_autoencoder_kl(const std::filesystem::path& folder, const NamedTensors& inputs,
                                        const ForwardOptions& options) {
  if (inputs.count("sample") > 0) {
    return Error::not_supported(
        "AutoencoderKL: encoding (input 'sample' -> 'latent') is not implemented; dcgen forward decodes input "
        "'latent' -> 'sample'");
  }
  if (inputs.count("latent") == 0) return Error::invalid_argument("AutoencoderKL needs input 'latent' (to decode)");
  if (options.tiled_decode) return Error::not_supported("AutoencoderKL: --tiled is not implemented (whole decode only)");
  DC_TRY(auto model, models::autoencoder_kl::AutoencoderKL::load(folder, options.load));
  const Tensor& latent = inputs.at("latent");
  const int64_t channels = model->config().latent_channels;
  if (latent.dim() != 4 || latent.size(1) != channels) {
    return Error::invalid_argument("input 'latent' must be [N, " + std::to_string(channels) + ", h, w], got " +
                                   latent.describe());
  }
  DC_TRY(Tensor z, float_input(latent, "latent", options.load));
  NamedTensors outputs;
  std::optional<nn::TapScope> scope;
  if (options.dump_taps) {
    scope.emplace([&](const std::string& path, const Tensor& t) { outputs["tap:" + path] = to_f32_cpu(t); });
  }
  DC_TRY(Tensor sample, catch_errors([&] { return to_f32_cpu(model->decode(z)); }));
  outputs["sample"] = sample;
  return outputs;
}

}  // namespace dc::pipeline
