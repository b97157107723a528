#include "tests/models/autoencoder_kl_test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"

namespace dc::test {
namespace {

nlohmann::json read_cases() {
  std::ifstream in(data_dir() / "autoencoder_kl" / "cases.json");
  return nlohmann::json::parse(in).at("cases");
}

nlohmann::json find_case(const std::string& name) {
  for (const auto& c : read_cases())
    if (c.at("name") == name) return c;
  ADD_FAILURE() << "no AutoencoderKL case " << name;
  return nlohmann::json::object();
}

}  // namespace

std::filesystem::path autoencoder_kl_case_dir(const std::string& name) { return data_dir() / "autoencoder_kl" / name; }

std::vector<std::string> autoencoder_kl_golden_cases() {
  std::vector<std::string> names;
  for (const auto& c : read_cases()) names.push_back(c.at("name").get<std::string>());
  return names;
}

bool autoencoder_kl_case_has_mid_attention(const std::string& name) {
  const nlohmann::json c = find_case(name);
  return c.contains("mid_attention_head_dim") && !c.at("mid_attention_head_dim").is_null();
}

double autoencoder_kl_bf16_tolerance(const std::string& name) {
  const nlohmann::json c = find_case(name);
  if (c.empty()) return 0;
  return std::max(2e-2, 2 * c.at("reference_bf16_rel_l2").at("decode").get<double>());
}

double run_autoencoder_kl_golden(const std::string& name, const nn::LoadOptions& options, int64_t max_fused_head_dim) {
  auto model = models::autoencoder_kl::AutoencoderKL::load(autoencoder_kl_case_dir(name) / "vae", options);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().to_string());
  if (!model) return -1;
  (*model)->set_max_fused_head_dim(max_fused_head_dim);
  auto golden = SafetensorsFile::open(autoencoder_kl_case_dir(name) / "golden.safetensors");
  EXPECT_TRUE(golden.ok());
  if (!golden) return -1;
  const Tensor latent_in = (*golden)->tensor("latent_in").value_or_throw();
  const Tensor expected = (*golden)->tensor("decoded").value_or_throw();
  expect_non_constant(latent_in);
  const Tensor decoded =
      (*model)->decode(ops::to_device(ops::cast(latent_in, options.dtype), options.device));  // [N, C, H, W]
  EXPECT_EQ(decoded.shape(), expected.shape());
  EXPECT_EQ(decoded.dtype(), options.dtype);
  EXPECT_TRUE(decoded.is_contiguous());
  EXPECT_TRUE(ops::all_finite(decoded));
  if (decoded.shape() != expected.shape()) return -1;
  return ops::relative_l2(decoded, expected);
}

double run_autoencoder_kl_tiled_golden(const std::string& name, const nn::LoadOptions& options) {
  auto golden = SafetensorsFile::open(autoencoder_kl_case_dir(name) / "golden.safetensors");
  EXPECT_TRUE(golden.ok());
  if (!golden || !(*golden)->tensor("latent_tiled").ok()) return -1;
  auto model = models::autoencoder_kl::AutoencoderKL::load(autoencoder_kl_case_dir(name) / "vae", options);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().to_string());
  if (!model) return -1;
  const Tensor latent = (*golden)->tensor("latent_tiled").value_or_throw();
  const Tensor expected = (*golden)->tensor("decoded_tiled").value_or_throw();
  // The golden must really be tiled: larger than one tile both ways.
  EXPECT_GT(latent.size(2), (*model)->tile_latent());
  EXPECT_GT(latent.size(3), (*model)->tile_latent());
  const Tensor decoded = (*model)->decode_tiled(ops::to_device(ops::cast(latent, options.dtype), options.device));
  EXPECT_EQ(decoded.shape(), expected.shape());
  if (decoded.shape() != expected.shape()) return -1;
  // Tiling changes the picture (per-tile statistics): the whole decode must differ clearly.
  const Tensor whole = (*model)->decode(ops::to_device(ops::cast(latent, options.dtype), options.device));
  EXPECT_GT(ops::relative_l2(whole, expected), 1e-2);
  return ops::relative_l2(decoded, expected);
}

}  // namespace dc::test
