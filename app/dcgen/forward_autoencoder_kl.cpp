#include "app/dcgen/forward_autoencoder_kl.h"

#include <optional>

#include "core/io/diffusers/config_reader.h"
#include "core/models/autoencoder_kl/autoencoder_kl.h"
#include "core/nn/tap.h"
#include "core/pipeline/component_inputs.h"

namespace dcgen {

bool is_autoencoder_kl_folder(const std::filesystem::path& folder) {
  auto config = dc::ConfigReader::from_file(folder / "config.json");
  if (!config) return false;
  auto cls = config->class_name();
  return cls && *cls == "AutoencoderKL";
}

dc::Result<dc::pipeline::NamedTensors> run_autoencoder_kl(const std::filesystem::path& folder,
                                                          const dc::pipeline::NamedTensors& inputs,
                                                          const dc::pipeline::ForwardOptions& options) {
  using dc::Error;
  if (inputs.count("sample") > 0) {
    return Error::not_supported(
        "AutoencoderKL: encoding (input 'sample' -> 'latent') is not implemented; dcgen forward decodes input "
        "'latent' -> 'sample'");
  }
  if (inputs.count("latent") == 0) return Error::invalid_argument("AutoencoderKL needs input 'latent' (to decode)");
  if (options.tiled_decode)
    return Error::not_supported("AutoencoderKL: --tiled is not implemented (whole decode only)");
  DC_TRY(auto model, dc::models::autoencoder_kl::AutoencoderKL::load(folder, options.load));
  const dc::Tensor& latent = inputs.at("latent");
  const int64_t channels = model->config().latent_channels;
  if (latent.dim() != 4 || latent.size(1) != channels) {
    return Error::invalid_argument("input 'latent' must be [N, " + std::to_string(channels) + ", h, w], got " +
                                   latent.describe());
  }
  DC_TRY(dc::Tensor z, dc::pipeline::float_input(latent, "latent", options.load));
  dc::pipeline::NamedTensors outputs;
  std::optional<dc::nn::TapScope> scope;
  if (options.dump_taps) {
    scope.emplace(
        [&](const std::string& path, const dc::Tensor& t) { outputs["tap:" + path] = dc::pipeline::to_f32_cpu(t); });
  }
  DC_TRY(dc::Tensor sample, dc::catch_errors([&] { return dc::pipeline::to_f32_cpu(model->decode(z)); }));
  outputs["sample"] = sample;
  return outputs;
}

}  // namespace dcgen
