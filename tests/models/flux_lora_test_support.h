// Shared by the FLUX LoRA tests (CPU and gpu suites): the goldens written by
// tests/reference/make_flux_lora_goldens.py and a runner merging a golden's LoRAs
// into a FluxTransformer and comparing its forward with diffusers' fused forward.
#pragma once

#include <filesystem>
#include <map>
#include <ostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/io/lora/lora_spec.h"
#include "core/models/flux/flux_transformer.h"

namespace dc::test {

std::filesystem::path flux_lora_dir();  // tests/data/flux_lora
nlohmann::json flux_lora_manifest();    // its cases.json

struct FluxLoRAGolden {
  std::string base;            // the transformer of tests/data/flux/<base>
  std::string name;            // "kohya", "kohya+peft_metadata", ...
  std::vector<LoRASpec> loras;  // fused in this order
  double bf16_tolerance = 0;   // max(2e-2, 2 x diffusers' own bf16 error)
};
inline void PrintTo(const FluxLoRAGolden& g, std::ostream* os) { *os << g.base << "/" << g.name; }
std::vector<FluxLoRAGolden> flux_lora_goldens();
// "sample:<golden>", "weight:<golden>:<key>" of tests/data/flux_lora/<base>/golden.safetensors.
std::map<std::string, Tensor> flux_lora_golden_tensors(const std::string& base);

// The case's transformer at `options` (fails the test on load errors: null).
std::unique_ptr<models::flux::FluxTransformer> load_flux_case(const std::string& base, const nn::LoadOptions& options);
// forward() on the case's golden inputs, in the model's dtype and device, returned f32 CPU.
Tensor flux_case_forward(const models::flux::FluxTransformer& model, const std::string& base,
                         const nn::LoadOptions& options);
// Every parameter of two models equal bit for bit.
void expect_same_weights(const models::flux::FluxTransformer& a, const models::flux::FluxTransformer& b);

}  // namespace dc::test
