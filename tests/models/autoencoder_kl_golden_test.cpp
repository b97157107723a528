// AutoencoderKL decoding against diffusers on tiny random-weight checkpoints
// (tests/reference/make_autoencoder_kl_goldens.py), on the CPU; the module tree
// against the published FLUX.1 and SD VAE layouts; config and load errors.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "core/io/diffusers/config_reader.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/random.h"
#include "tests/common/test_util.h"
#include "tests/models/autoencoder_kl_test_support.h"

namespace dc {
namespace {

using models::autoencoder_kl::AutoencoderKL;
using models::autoencoder_kl::AutoencoderKLConfig;
using models::autoencoder_kl::parse_autoencoder_kl_config;

class AutoencoderKLGoldenCpu : public ::testing::TestWithParam<std::string> {};

// f32: rel L2 ≤ 1e-4 against diffusers' f32 decode (DEVELOPERS.md).
TEST_P(AutoencoderKLGoldenCpu, F32MatchesDiffusers) {
  const double err = test::run_autoencoder_kl_golden(GetParam(), {Device::cpu(), DType::kF32});
  EXPECT_GE(err, 0.0);
  EXPECT_LE(err, 1e-4);
  std::printf("[%s] f32 rel-L2 %.2e\n", GetParam().c_str(), err);
}

// bf16 weights and activations against the f32 golden: ≤ max(2e-2, 2 × diffusers' own bf16 error).
TEST_P(AutoencoderKLGoldenCpu, BF16WithinBF16Tolerance) {
  const double err = test::run_autoencoder_kl_golden(GetParam(), {Device::cpu(), DType::kBF16});
  EXPECT_GT(err, 0.0);  // it really ran in bf16
  EXPECT_LE(err, test::autoencoder_kl_bf16_tolerance(GetParam()));
  std::printf("[%s] bf16 rel-L2 %.2e (bound %.2e)\n", GetParam().c_str(), err,
              test::autoencoder_kl_bf16_tolerance(GetParam()));
}

// The mid-block attention split as CUDA runs FLUX.1's 512-wide head (here 16 wide, split at 6:
// 6 dims scored by the kernel, 10 through the bias, values in chunks 6 + 6 + 4 zero-padded).
TEST_P(AutoencoderKLGoldenCpu, SplitHeadDimAttentionMatchesDiffusers) {
  if (!test::autoencoder_kl_case_has_mid_attention(GetParam())) GTEST_SKIP() << "no mid-block attention";
  const double f32 = test::run_autoencoder_kl_golden(GetParam(), {Device::cpu(), DType::kF32}, 6);
  EXPECT_GE(f32, 0.0);
  EXPECT_LE(f32, 1e-4);
  const double bf16 = test::run_autoencoder_kl_golden(GetParam(), {Device::cpu(), DType::kBF16}, 6);
  EXPECT_GT(bf16, 0.0);
  EXPECT_LE(bf16, test::autoencoder_kl_bf16_tolerance(GetParam()));
  std::printf("[%s] split head dim: f32 rel-L2 %.2e, bf16 %.2e\n", GetParam().c_str(), f32, bf16);
}

// diffusers' tiled_decode (enable_tiling): tiles, quarter overlaps, linear blends, crops.
TEST_P(AutoencoderKLGoldenCpu, TiledDecodeMatchesDiffusersTiling) {
  const double f32 = test::run_autoencoder_kl_tiled_golden(GetParam(), {Device::cpu(), DType::kF32});
  if (f32 < 0 && !HasFailure()) GTEST_SKIP() << "no tiled golden for this case";
  EXPECT_GE(f32, 0.0);
  EXPECT_LE(f32, 1e-4);
  const double bf16 = test::run_autoencoder_kl_tiled_golden(GetParam(), {Device::cpu(), DType::kBF16});
  EXPECT_GT(bf16, 0.0);
  EXPECT_LE(bf16, test::autoencoder_kl_bf16_tolerance(GetParam()));
  std::printf("[%s] tiled: f32 rel-L2 %.2e, bf16 %.2e\n", GetParam().c_str(), f32, bf16);
}

INSTANTIATE_TEST_SUITE_P(Cases, AutoencoderKLGoldenCpu, ::testing::ValuesIn(test::autoencoder_kl_golden_cases()),
                         [](const auto& info) { return info.param; });

// ---- the module tree against real layouts ----

// Checkpoint keys the decoder reads: decoder.* and post_quant_conv.*, under their current names.
std::map<std::string, Shape> decoder_side(const std::map<std::string, Shape>& all) {
  const std::map<std::string, std::string> legacy = {
      {".query.", ".to_q."}, {".key.", ".to_k."}, {".value.", ".to_v."}, {".proj_attn.", ".to_out.0."}};
  std::map<std::string, Shape> out;
  for (const auto& [checkpoint_key, shape] : all) {
    std::string key = checkpoint_key;
    if (key.rfind("decoder.", 0) != 0 && key.rfind("post_quant_conv.", 0) != 0) continue;
    for (const auto& [before, now] : legacy) {
      const size_t at = key.find(before);
      if (key.find(".attentions.") != std::string::npos && at != std::string::npos)
        key = key.substr(0, at) + now + key.substr(at + before.size());
    }
    out[key] = shape;
  }
  return out;
}

std::map<std::string, Shape> module_keys(const AutoencoderKL& model) {
  std::map<std::string, Shape> ours;
  for (const nn::Parameter* p : model.parameters()) ours[p->key()] = p->expected_shape();
  return ours;
}

AutoencoderKLConfig config_of(const std::filesystem::path& dir) {
  auto reader = ConfigReader::from_file(dir / "config.json");
  EXPECT_TRUE(reader.ok()) << reader.error().to_string();
  auto config = parse_autoencoder_kl_config(*reader);
  EXPECT_TRUE(config.ok()) << config.error().to_string();
  return *config;
}

TEST(AutoencoderKLLayout, BindsExactlyTheDecoderKeysOfEachGoldenCheckpoint) {
  for (const std::string& name : test::autoencoder_kl_golden_cases()) {
    const auto dir = test::autoencoder_kl_case_dir(name) / "vae";
    const auto file = SafetensorsFile::open(dir / "diffusion_pytorch_model.safetensors").value_or_throw();
    std::map<std::string, Shape> theirs;
    for (const std::string& key : file->tensor_names()) theirs[key] = file->info(key)->shape;
    EXPECT_EQ(module_keys(AutoencoderKL(config_of(dir))), decoder_side(theirs)) << name;
  }
}

class AutoencoderKLPublishedLayout : public ::testing::TestWithParam<std::string> {};

TEST_P(AutoencoderKLPublishedLayout, BindsExactlyTheDecoderKeys) {
  const auto dir = test::data_dir() / "autoencoder_kl" / "published" / GetParam();
  const AutoencoderKL model(config_of(dir));
  std::ifstream in(dir / "params.json");
  const nlohmann::json expected = nlohmann::json::parse(in);
  std::map<std::string, Shape> theirs;
  for (const auto& [key, shape] : expected.at("tensors").items()) theirs[key] = shape.get<Shape>();
  const auto ours = module_keys(model);
  EXPECT_EQ(ours, decoder_side(theirs));
  int64_t count = 0;
  for (const auto& [key, shape] : ours) count += shape_numel(shape);
  EXPECT_EQ(count, expected.at("num_decoder_parameters").get<int64_t>());
}

INSTANTIATE_TEST_SUITE_P(Variants, AutoencoderKLPublishedLayout, ::testing::Values("flux1-vae", "sd-v1-vae"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

// ---- config parsing ----

Result<AutoencoderKLConfig> parse(const std::string& json) {
  DC_TRY(ConfigReader reader, ConfigReader::parse(json, "vae/config.json"));
  return parse_autoencoder_kl_config(reader);
}

TEST(AutoencoderKLConfigTest, FluxConfigAndDiffusersDefaults) {
  const AutoencoderKLConfig flux = config_of(test::data_dir() / "autoencoder_kl" / "published" / "flux1-vae");
  EXPECT_EQ(flux.latent_channels, 16);
  EXPECT_EQ(flux.block_out_channels, (std::vector<int64_t>{128, 256, 512, 512}));
  EXPECT_EQ(flux.spatial_compression_ratio(), 8);
  EXPECT_DOUBLE_EQ(flux.scaling_factor, 0.3611);
  ASSERT_TRUE(flux.shift_factor.has_value());
  EXPECT_DOUBLE_EQ(*flux.shift_factor, 0.1159);
  EXPECT_FALSE(flux.use_post_quant_conv);
  EXPECT_FALSE(flux.latents_mean.has_value());

  // Keys left out take AutoencoderKL.__init__'s defaults; null shift_factor means none.
  const auto defaults = parse(R"({"_class_name": "AutoencoderKL", "shift_factor": null})");
  ASSERT_TRUE(defaults.ok()) << defaults.error().to_string();
  EXPECT_EQ(defaults->latent_channels, 4);
  EXPECT_EQ(defaults->block_out_channels, (std::vector<int64_t>{64}));
  EXPECT_EQ(defaults->layers_per_block, 1);
  EXPECT_EQ(defaults->norm_num_groups, 32);
  EXPECT_DOUBLE_EQ(defaults->scaling_factor, 0.18215);
  EXPECT_FALSE(defaults->shift_factor.has_value());
  EXPECT_TRUE(defaults->use_post_quant_conv && defaults->mid_block_add_attention);

  const auto stats = parse(R"({"latent_channels": 2, "latents_mean": [0.5, -1], "latents_std": [2, 3.5]})");
  ASSERT_TRUE(stats.ok()) << stats.error().to_string();
  EXPECT_EQ(*stats->latents_mean, (std::vector<double>{0.5, -1.0}));
  EXPECT_EQ(*stats->latents_std, (std::vector<double>{2.0, 3.5}));
}

void expect_error(const std::string& json, ErrorCode code, const std::string& mentions) {
  const auto r = parse(json);
  ASSERT_FALSE(r.ok()) << json;
  EXPECT_EQ(r.error().code(), code) << r.error().to_string();
  EXPECT_NE(r.error().to_string().find(mentions), std::string::npos) << r.error().to_string();
  EXPECT_NE(r.error().to_string().find("vae/config.json"), std::string::npos) << r.error().to_string();
}

TEST(AutoencoderKLConfigTest, UnsupportedOrMalformedOptionsAreClearErrors) {
  expect_error(R"({"act_fn": "mish"})", ErrorCode::kNotSupported, "act_fn 'mish'");
  expect_error(R"({"act_fn": "gelu"})", ErrorCode::kNotSupported, "act_fn 'gelu'");
  expect_error(R"({"up_block_types": ["AttnUpDecoderBlock2D"]})", ErrorCode::kNotSupported, "AttnUpDecoderBlock2D");
  expect_error(R"({"block_out_channels": [64, 96], "up_block_types": ["UpDecoderBlock2D"]})", ErrorCode::kFormat,
               "up_block_types");
  expect_error(R"({"block_out_channels": [48], "norm_num_groups": 32})", ErrorCode::kFormat, "norm_num_groups");
  expect_error(R"({"block_out_channels": []})", ErrorCode::kFormat, "block_out_channels");
  expect_error(R"({"latent_channels": 3, "latents_mean": [1, 2]})", ErrorCode::kFormat, "latents_mean");
  expect_error(R"({"shift_factor": "0.1"})", ErrorCode::kFormat, "shift_factor");
}

// ---- loading ----

// A copy of `name`'s vae/ folder with its tensors passed through `edit` (and `config_edit` on config.json).
std::filesystem::path edited_copy(const test::TempDir& tmp, const std::string& name,
                                  const std::function<void(std::vector<std::pair<std::string, Tensor>>&)>& edit,
                                  const std::function<void(nlohmann::json&)>& config_edit = {}) {
  const auto src = test::autoencoder_kl_case_dir(name) / "vae";
  const auto dst = tmp / "vae";
  std::filesystem::create_directories(dst);
  nlohmann::json config = nlohmann::json::parse(std::ifstream(src / "config.json"));
  if (config_edit) config_edit(config);
  std::ofstream(dst / "config.json") << config.dump(1);
  const auto file = SafetensorsFile::open(src / "diffusion_pytorch_model.safetensors").value_or_throw();
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (const std::string& key : file->tensor_names()) tensors.emplace_back(key, file->tensor(key).value_or_throw());
  edit(tensors);
  EXPECT_TRUE(write_safetensors(dst / "diffusion_pytorch_model.safetensors", tensors).ok());
  return dst;
}

TEST(AutoencoderKLLoad, EncoderAndQuantConvTensorsAreNotNeeded) {
  test::TempDir tmp;
  const auto dir = edited_copy(tmp, "sd_like_legacy_attention", [](auto& tensors) {
    std::erase_if(tensors, [](const auto& t) {
      return t.first.rfind("decoder.", 0) != 0 && t.first != "post_quant_conv.weight" &&
             t.first != "post_quant_conv.bias";
    });
  });
  auto model = AutoencoderKL::load(dir, {});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  const auto golden =
      SafetensorsFile::open(test::autoencoder_kl_case_dir("sd_like_legacy_attention") / "golden.safetensors")
          .value_or_throw();
  const Tensor decoded = (*model)->decode(golden->tensor("latent_in").value_or_throw());
  EXPECT_LE(ops::relative_l2(decoded, golden->tensor("decoded").value_or_throw()), 1e-4);
}

TEST(AutoencoderKLLoad, MissingOrMisshapedDecoderTensorsNameTheKeyAndFolder) {
  test::TempDir missing_dir;
  const std::string key = "decoder.up_blocks.1.resnets.0.conv_shortcut.weight";
  auto dir = edited_copy(missing_dir, "no_mid_attention",
                         [&](auto& tensors) { std::erase_if(tensors, [&](const auto& t) { return t.first == key; }); });
  auto r = AutoencoderKL::load(dir, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().to_string().find(key), std::string::npos) << r.error().to_string();
  EXPECT_NE(r.error().to_string().find(dir.string()), std::string::npos) << r.error().to_string();

  test::TempDir shape_dir;
  dir = edited_copy(shape_dir, "flux_like", [](auto& tensors) {
    for (auto& [k, t] : tensors)
      if (k == "decoder.mid_block.attentions.0.to_q.weight") t = ops::randn({16, 8}, 1);
  });
  r = AutoencoderKL::load(dir, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kFormat);
  EXPECT_NE(r.error().to_string().find(
                "decoder.mid_block.attentions.0.to_q.weight' has shape [16, 8], config expects [16, 16]"),
            std::string::npos)
      << r.error().to_string();
}

TEST(AutoencoderKLLoad, ConfigErrorsAndOtherClassesAreRefused) {
  test::TempDir act_dir;
  auto dir = edited_copy(
      act_dir, "flux_like", [](auto&) {}, [](nlohmann::json& c) { c["act_fn"] = "mish"; });
  auto r = AutoencoderKL::load(dir, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotSupported);
  EXPECT_NE(r.error().to_string().find("act_fn 'mish'"), std::string::npos) << r.error().to_string();

  test::TempDir class_dir;
  dir = edited_copy(
      class_dir, "flux_like", [](auto&) {}, [](nlohmann::json& c) { c["_class_name"] = "AutoencoderDC"; });
  r = AutoencoderKL::load(dir, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotSupported);
  EXPECT_NE(r.error().to_string().find("expected AutoencoderKL"), std::string::npos) << r.error().to_string();
}

TEST(AutoencoderKLLoad, DecodeRejectsALatentOfTheWrongShape) {
  auto model = AutoencoderKL::load(test::autoencoder_kl_case_dir("flux_like") / "vae", {});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  EXPECT_THROW((*model)->decode(ops::randn({1, 4, 4, 6}, 1)), ErrorException);
  EXPECT_THROW((*model)->decode(ops::randn({16, 4, 6}, 1)), ErrorException);
}

}  // namespace
}  // namespace dc
