// dcgen forward for AutoencoderKL folders (decode only): input "latent"
// [N, latent_channels, h, w] (un-scaled, un-shifted, as vae.decode takes it) ->
// output "sample" [N, out_channels, h·f, w·f]. An encode request ("sample") is
// kNotSupported. Kept beside cmd_forward until core/pipeline's runner table
// (component_forward.cpp) takes AutoencoderKL; the runner has that table's signature.
#pragma once

#include <filesystem>

#include "core/pipeline/component_forward.h"

namespace dcgen {

// True when `folder`'s config.json names AutoencoderKL (false when it cannot be read:
// run_component then reports the problem).
bool is_autoencoder_kl_folder(const std::filesystem::path& folder);

dc::Result<dc::pipeline::NamedTensors> run_autoencoder_kl(const std::filesystem::path& folder,
                                                          const dc::pipeline::NamedTensors& inputs,
                                                          const dc::pipeline::ForwardOptions& options);

}  // namespace dcgen
