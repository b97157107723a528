// Shared by the FLUX transformer golden tests (CPU and gpu suites): the cases
// written by tests/reference/make_flux_goldens.py and a runner comparing a
// FluxTransformer against diffusers' FluxTransformer2DModel outputs.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/models/flux/flux_transformer.h"

namespace dc::test {

std::vector<std::string> flux_golden_cases();  // names from tests/data/flux/cases.json
std::filesystem::path flux_case_dir(const std::string& name);
std::filesystem::path flux_transformer_dir(const std::string& name);  // <case>/transformer
// max(2e-2, 2 x diffusers' own bf16 rel-L2 on the case), from cases.json.
double flux_bf16_tolerance(const std::string& name);

// The golden tensors of a case (f32 CPU), by name ("sample", "tap:...", inputs).
std::map<std::string, Tensor> flux_goldens(const std::string& name);
// The case's forward inputs (2-D ids, no prepared rope) read from the goldens.
models::flux::FluxInputs flux_golden_inputs(const std::map<std::string, Tensor>& goldens);

struct FluxParity {
  double sample_rel_l2 = -1;
  std::map<std::string, double> tap_rel_l2;  // "tap:<path>" -> rel-L2 against diffusers' block output
};
// Loads the case at `options`, runs forward on the golden inputs (taps recorded)
// and compares with diffusers (f32 CPU goldens); fails the test on load errors.
FluxParity run_flux_golden(const std::string& name, const nn::LoadOptions& options);

}  // namespace dc::test
