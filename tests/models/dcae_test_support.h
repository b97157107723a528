// Shared by the DC-AE golden tests (CPU and gpu suites): the case list written
// by tests/reference/make_dcae_goldens.py and a runner comparing against it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/models/dcae/autoencoder_dc.h"

namespace dc::test {

std::vector<std::string> dcae_golden_cases();         // names from tests/data/dcae/cases.json
std::filesystem::path dcae_case_dir(const std::string& name);

// bf16 bound per DEVELOPERS.md (2e-2), or twice diffusers' own bf16 error on
// the case when that is larger (judged against the reference's own error, STYLE 5).
struct DCAETolerance {
  double encode, decode;
};
DCAETolerance dcae_bf16_tolerance(const std::string& name);

struct DCAEParity {
  double encode_rel_l2 = 0;
  double decode_rel_l2 = 0;
};
// Loads the case at `options`, runs encode(sample) and decode(latent_in) in
// `format`, and compares with the diffusers goldens (f32 CPU); fails the test on
// load errors.
DCAEParity run_dcae_golden(const std::string& name, const nn::LoadOptions& options,
                           models::dcae::MemoryFormat format = models::dcae::MemoryFormat::kAuto);

}  // namespace dc::test
