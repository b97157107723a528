#include "tests/models/flux_lora_test_support.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/io/safetensors/safetensors_file.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"
#include "tests/models/flux_test_support.h"

namespace dc::test {

std::filesystem::path flux_lora_dir() { return data_dir() / "flux_lora"; }

nlohmann::json flux_lora_manifest() {
  std::ifstream in(flux_lora_dir() / "cases.json");
  return nlohmann::json::parse(in);
}

std::vector<FluxLoRAGolden> flux_lora_goldens() {
  std::vector<FluxLoRAGolden> out;
  const nlohmann::json m = flux_lora_manifest();
  for (const auto& c : m["cases"]) {
    for (const auto& g : c["goldens"]) {
      FluxLoRAGolden golden{c["name"], g["name"], {}, g["bf16_tolerance"]};
      for (const auto& l : g["loras"]) {
        golden.loras.push_back({flux_lora_dir() / golden.base / l[0].get<std::string>(), l[1].get<double>()});
      }
      out.push_back(std::move(golden));
    }
  }
  return out;
}

std::map<std::string, Tensor> flux_lora_golden_tensors(const std::string& base) {
  auto file = SafetensorsFile::open(flux_lora_dir() / base / "golden.safetensors").value_or_throw();
  std::map<std::string, Tensor> out;
  for (const std::string& k : file->tensor_names()) out[k] = file->tensor(k).value_or_throw();
  return out;
}

std::unique_ptr<models::flux::FluxTransformer> load_flux_case(const std::string& base, const nn::LoadOptions& options) {
  auto model = models::flux::FluxTransformer::load(flux_transformer_dir(base), options);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().to_string());
  return model.ok() ? std::move(*model) : nullptr;
}

Tensor flux_case_forward(const models::flux::FluxTransformer& model, const std::string& base,
                         const nn::LoadOptions& options) {
  models::flux::FluxInputs in = flux_golden_inputs(flux_goldens(base));
  auto on_device = [&](const Tensor& t) { return ops::to_device(ops::cast(t, options.dtype), options.device); };
  in.hidden_states = on_device(in.hidden_states);
  in.encoder_hidden_states = on_device(in.encoder_hidden_states);
  in.pooled_projections = on_device(in.pooled_projections);
  return ops::cast(ops::to_device(model.forward(in), Device::cpu()), DType::kF32);
}

void expect_same_weights(const models::flux::FluxTransformer& a, const models::flux::FluxTransformer& b) {
  const auto pa = a.parameters(), pb = b.parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(
        ops::max_abs_diff(ops::to_device(pa[i]->get(), Device::cpu()), ops::to_device(pb[i]->get(), Device::cpu())),
        0.0)
        << pa[i]->key();
  }
}

}  // namespace dc::test
