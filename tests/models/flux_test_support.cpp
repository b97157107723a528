#include "tests/models/flux_test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "core/nn/tap.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"

namespace dc::test {
namespace {

nlohmann::json read_cases() {
  std::ifstream in(data_dir() / "flux" / "cases.json");
  return nlohmann::json::parse(in).at("cases");
}

}  // namespace

std::filesystem::path flux_case_dir(const std::string& name) { return data_dir() / "flux" / name; }
std::filesystem::path flux_transformer_dir(const std::string& name) { return flux_case_dir(name) / "transformer"; }

std::vector<std::string> flux_golden_cases() {
  std::vector<std::string> names;
  for (const auto& c : read_cases()) names.push_back(c.at("name").get<std::string>());
  return names;
}

double flux_bf16_tolerance(const std::string& name) {
  for (const auto& c : read_cases()) {
    if (c.at("name") == name) return std::max(2e-2, 2 * c.at("reference_bf16_rel_l2").get<double>());
  }
  ADD_FAILURE() << "no case " << name;
  return 0;
}

std::map<std::string, Tensor> flux_goldens(const std::string& name) {
  auto file = SafetensorsFile::open(flux_case_dir(name) / "golden.safetensors");
  EXPECT_TRUE(file.ok()) << (file.ok() ? "" : file.error().to_string());
  std::map<std::string, Tensor> out;
  if (!file) return out;
  for (const std::string& key : (*file)->tensor_names()) out[key] = (*file)->tensor(key).value_or_throw();
  return out;
}

models::flux::FluxInputs flux_golden_inputs(const std::map<std::string, Tensor>& g) {
  models::flux::FluxInputs in;
  in.hidden_states = g.at("hidden_states");
  in.encoder_hidden_states = g.at("encoder_hidden_states");
  in.pooled_projections = g.at("pooled_projections");
  in.timestep = g.at("timestep");
  in.img_ids = g.at("img_ids");
  in.txt_ids = g.at("txt_ids");
  if (g.count("guidance")) in.guidance = g.at("guidance");
  return in;
}

FluxParity run_flux_golden(const std::string& name, const nn::LoadOptions& options) {
  FluxParity parity;
  auto model = models::flux::FluxTransformer::load(flux_transformer_dir(name), options);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().to_string());
  if (!model) return parity;
  const std::map<std::string, Tensor> g = flux_goldens(name);
  if (g.empty()) return parity;
  models::flux::FluxInputs in = flux_golden_inputs(g);
  expect_non_constant(in.hidden_states);
  expect_non_constant(in.encoder_hidden_states);
  expect_non_constant(in.pooled_projections);
  auto on_device = [&](const Tensor& t) { return ops::to_device(ops::cast(t, options.dtype), options.device); };
  in.hidden_states = on_device(in.hidden_states);
  in.encoder_hidden_states = on_device(in.encoder_hidden_states);
  in.pooled_projections = on_device(in.pooled_projections);

  std::map<std::string, Tensor> taps;
  Tensor sample;
  {
    nn::TapScope scope([&](const std::string& path, const Tensor& t) { taps["tap:" + path] = ops::clone(t); });
    sample = (*model)->forward(in);
  }
  EXPECT_TRUE(ops::all_finite(sample));
  EXPECT_EQ(sample.shape(), g.at("sample").shape());
  if (sample.shape() != g.at("sample").shape()) return parity;
  parity.sample_rel_l2 = ops::relative_l2(sample, g.at("sample"));
  for (const auto& [key, golden] : g) {
    if (key.rfind("tap:", 0) != 0) continue;
    auto it = taps.find(key);
    EXPECT_TRUE(it != taps.end()) << "no C++ tap " << key;
    if (it == taps.end()) continue;
    EXPECT_EQ(it->second.shape(), golden.shape()) << key;
    if (it->second.shape() == golden.shape()) parity.tap_rel_l2[key] = ops::relative_l2(it->second, golden);
  }
  return parity;
}

}  // namespace dc::test
