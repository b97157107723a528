// Shared by the AutoencoderKL golden tests (CPU and gpu suites): the case list
// written by tests/reference/make_autoencoder_kl_goldens.py and a runner
// comparing a decode against it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/models/autoencoder_kl/autoencoder_kl.h"

namespace dc::test {

std::vector<std::string> autoencoder_kl_golden_cases();  // names from tests/data/autoencoder_kl/cases.json
std::filesystem::path autoencoder_kl_case_dir(const std::string& name);
bool autoencoder_kl_case_has_mid_attention(const std::string& name);

// bf16 bound: 2e-2 (DEVELOPERS.md), or twice diffusers' own bf16 error on the case
// when that is larger (judged against the reference's own error, STYLE 5).
double autoencoder_kl_bf16_tolerance(const std::string& name);

// Loads the case at `options` (max_fused_head_dim > 0: the mid-block attention
// split at that head width, see AutoencoderKL::set_max_fused_head_dim), decodes
// latent_in and returns the relative L2 error against diffusers' f32 golden;
// fails the test (and returns -1) on load errors.
double run_autoencoder_kl_golden(const std::string& name, const nn::LoadOptions& options,
                                 int64_t max_fused_head_dim = 0);

// The case's tiled golden (latent_tiled -> decoded_tiled, diffusers' tiled_decode) through
// decode_tiled: its relative L2 error, or -1 when the case has none (or on load errors).
double run_autoencoder_kl_tiled_golden(const std::string& name, const nn::LoadOptions& options);

}  // namespace dc::test
