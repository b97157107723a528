#include "tests/models/dcae_test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"

namespace dc::test {

std::filesystem::path dcae_case_dir(const std::string& name) { return data_dir() / "dcae" / name; }

static nlohmann::json read_cases() {
  std::ifstream in(data_dir() / "dcae" / "cases.json");
  return nlohmann::json::parse(in).at("cases");
}

std::vector<std::string> dcae_golden_cases() {
  std::vector<std::string> names;
  for (const auto& c : read_cases()) names.push_back(c.at("name").get<std::string>());
  return names;
}

DCAETolerance dcae_bf16_tolerance(const std::string& name) {
  for (const auto& c : read_cases()) {
    if (c.at("name") != name) continue;
    const auto& ref = c.at("reference_bf16_rel_l2");
    return {std::max(2e-2, 2 * ref.at("encode").get<double>()), std::max(2e-2, 2 * ref.at("decode").get<double>())};
  }
  ADD_FAILURE() << "no case " << name;
  return {0, 0};
}

DCAEParity run_dcae_golden(const std::string& name, const nn::LoadOptions& options,
                           models::dcae::MemoryFormat format) {
  DCAEParity parity{-1, -1};
  auto model = models::dcae::AutoencoderDC::load(dcae_case_dir(name) / "vae", options);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().to_string());
  if (!model) return parity;
  (*model)->set_memory_format(format);
  auto golden = SafetensorsFile::open(dcae_case_dir(name) / "golden.safetensors");
  EXPECT_TRUE(golden.ok());
  if (!golden) return parity;
  auto get = [&](const char* key) {
    Tensor t = (*golden)->tensor(key).value_or_throw();
    return ops::to_device(ops::cast(t, options.dtype), options.device);
  };
  const Tensor sample = get("sample"), latent_in = get("latent_in");
  expect_non_constant(sample);
  expect_non_constant(latent_in);
  const Tensor latent = (*model)->encode(sample);
  const Tensor decoded = (*model)->decode(latent_in);
  EXPECT_TRUE(ops::all_finite(latent) && ops::all_finite(decoded));
  EXPECT_TRUE(latent.is_contiguous() && decoded.is_contiguous()) << "outputs are NCHW whatever runs inside";
  parity.encode_rel_l2 = ops::relative_l2(latent, (*golden)->tensor("latent").value_or_throw());
  parity.decode_rel_l2 = ops::relative_l2(decoded, (*golden)->tensor("decoded").value_or_throw());
  return parity;
}

}  // namespace dc::test
