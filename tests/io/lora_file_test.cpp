// LoRA files (core/io/lora): the layouts and scales read from files made by
// tests/reference/make_flux_lora_goldens.py (kohya sd-scripts layout, and diffusers'
// own save_lora_weights), the BFL -> diffusers name table, the A1111 file hash, and
// the errors for files that are not FLUX LoRAs.
#include "core/io/lora/lora_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/sha256.h"
#include "core/io/lora/flux_bfl_names.h"
#include "core/io/lora/lora_hash.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "tests/io/io_test_util.h"

namespace dc {
namespace {

const std::filesystem::path kData = std::filesystem::path(DC_TEST_DATA_DIR) / "flux_lora";
const std::filesystem::path kCase = kData / "dcgen_c32_guidance";

nlohmann::json manifest() {
  std::ifstream in(kData / "cases.json");
  return nlohmann::json::parse(in);
}

const LoRALayer& layer(const LoRAFile& f, const std::string& module) {
  for (const LoRALayer& l : f.layers)
    if (l.module == module) return l;
  ADD_FAILURE() << "no layer " << module;
  return f.layers.front();
}

// All tensors of a file, to write modified copies.
std::vector<std::pair<std::string, Tensor>> tensors_of(const std::filesystem::path& path) {
  auto file = SafetensorsFile::open(path).value_or_throw();
  std::vector<std::pair<std::string, Tensor>> out;
  for (const std::string& k : file->tensor_names()) out.emplace_back(k, file->tensor(k).value_or_throw());
  return out;
}

std::string error_of(const std::filesystem::path& path) {
  auto r = read_lora_file(path);
  EXPECT_FALSE(r.ok()) << path;
  return r.ok() ? "" : r.error().to_string();
}

TEST(Sha256, KnownVectors) {
  Sha256 empty;
  EXPECT_EQ(empty.hex_digest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 abc;
  abc.update("abc");
  EXPECT_EQ(abc.hex_digest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding spills into a second block; fed in uneven pieces.
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256 pieces;
  pieces.update(two_blocks.substr(0, 5));
  pieces.update(two_blocks.substr(5, 50));
  pieces.update(two_blocks.substr(55));
  EXPECT_EQ(pieces.hex_digest(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// The hash image tools compare: SHA-256 after the header, as the reference script computed it.
TEST(LoRAHash, MatchesA1111AddnetHash) {
  const nlohmann::json m = manifest();
  int checked = 0;
  for (const auto& c : m["cases"]) {
    for (const auto& [file, hash] : c["addnet_sha256"].items()) {
      ++checked;
      auto h = lora_file_hash(kData / c["name"].get<std::string>() / file);
      ASSERT_TRUE(h.ok()) << h.error().to_string();
      EXPECT_EQ(*h, hash.get<std::string>()) << file;
    }
  }
  EXPECT_EQ(checked, 6);
  EXPECT_FALSE(lora_file_hash(kData / "missing.safetensors").ok());
}

TEST(LoRAFile, ReadsKohyaLayoutWithAlphas) {
  auto f = read_lora_file(kCase / "kohya.safetensors");
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_EQ(f->naming, LoRANaming::kBFL);
  // dcgen_c32_guidance: 2 double blocks x 10, 2 single x 3, 10 top-level layers with guidance_in.
  EXPECT_EQ(f->layers.size(), 2u * 10 + 2 * 3 + 10);
  EXPECT_EQ(f->text_encoder_layers.size(), 2u);
  // The script's pattern: layer k has rank [4, 2, 4, 6][k % 4] and alpha [8, 1, 3, 16][k % 4]
  // unless k % 5 == 3 or a final_layer (no alpha: scale 1).
  const LoRALayer& qkv = layer(*f, "double_blocks_0_img_attn_qkv");  // k = 0
  EXPECT_EQ(qkv.rank(), 4);
  EXPECT_FLOAT_EQ(qkv.scale, 8.0f / 4);
  EXPECT_EQ(qkv.up.shape(), (Shape{96, 4}));
  EXPECT_EQ(qkv.down.shape(), (Shape{4, 32}));
  EXPECT_EQ(qkv.down.dtype(), DType::kF32);
  EXPECT_EQ(qkv.key, "lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight");
  EXPECT_FLOAT_EQ(layer(*f, "double_blocks_0_img_attn_proj").scale, 1.0f / 2);  // k = 1
  EXPECT_FLOAT_EQ(layer(*f, "double_blocks_0_img_mlp_2").scale, 1.0f);          // k = 3: no alpha
  EXPECT_FLOAT_EQ(layer(*f, "final_layer_linear").scale, 1.0f);
  EXPECT_EQ(layer(*f, "double_blocks_0_txt_attn_qkv").rank(), 6);  // block-diagonal ai-toolkit form
}

TEST(LoRAFile, ReadsDiffusersMetadataScales) {
  auto f = read_lora_file(kCase / "peft_metadata.safetensors");
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_EQ(f->naming, LoRANaming::kDiffusers);
  EXPECT_TRUE(f->text_encoder_layers.empty());
  // LoraConfig(r=4, lora_alpha=6, rank_pattern={"proj_mlp": 2}, alpha_pattern={"to_k": 3}).
  EXPECT_FLOAT_EQ(layer(*f, "transformer_blocks.0.attn.to_q").scale, 6.0f / 4);
  EXPECT_FLOAT_EQ(layer(*f, "transformer_blocks.1.attn.to_k").scale, 3.0f / 4);
  EXPECT_FLOAT_EQ(layer(*f, "single_transformer_blocks.0.attn.to_k").scale, 3.0f / 4);
  EXPECT_FLOAT_EQ(layer(*f, "transformer_blocks.0.attn.add_k_proj").scale, 6.0f / 4);  // "to_k" is a whole name part
  const LoRALayer& mlp = layer(*f, "single_transformer_blocks.1.proj_mlp");
  EXPECT_EQ(mlp.rank(), 2);
  EXPECT_FLOAT_EQ(mlp.scale, 6.0f / 2);
  EXPECT_EQ(mlp.key, "transformer.single_transformer_blocks.1.proj_mlp.lora_A.weight");
}

TEST(LoRAFile, ReadsDiffusersAlphaTensorsWithTheMostCommonAsDefault) {
  auto f = read_lora_file(kCase / "peft_alphas.safetensors");
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  std::map<float, int> scales;
  EXPECT_EQ(f->layers.front().up.dtype(), DType::kF16);  // read as stored; merged in f32
  for (const LoRALayer& l : f->layers) ++scales[l.scale];
  // alphas 2 (most common) and 8 on rank 4; modules without one take 2.
  EXPECT_EQ(scales.size(), 2u);
  EXPECT_GT(scales[0.5f], scales[2.0f]);
  EXPECT_GT(scales[2.0f], 0);
}

TEST(LoRAFile, RSLoRAScalesBySquareRootOfRank) {
  test::TempDir tmp;
  const Tensor down = Tensor::from_vector(std::vector<float>(4 * 8, 0.1f), {4, 8});
  const Tensor up = Tensor::from_vector(std::vector<float>(8 * 4, 0.1f), {8, 4});
  const nlohmann::json meta = {{"transformer.lora_alpha", 6}, {"transformer.r", 4}, {"transformer.use_rslora", true}};
  ASSERT_TRUE(
      write_safetensors(tmp / "rs.safetensors",
                        {{"transformer.x_embedder.lora_A.weight", down}, {"transformer.x_embedder.lora_B.weight", up}},
                        {{"lora_adapter_metadata", meta.dump()}}));
  auto f = read_lora_file(tmp / "rs.safetensors");
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_FLOAT_EQ(f->layers[0].scale, 6.0f / 2);
}

TEST(FluxBFLNames, SplitsFusedLayersOntoDiffusersModules) {
  auto qkv = flux_bfl_slices("double_blocks_3_txt_attn_qkv", 96, 32, "k", "f");
  ASSERT_TRUE(qkv.ok());
  ASSERT_EQ(qkv->size(), 3u);
  EXPECT_EQ((*qkv)[1].module, "transformer_blocks.3.attn.add_k_proj");
  EXPECT_EQ((*qkv)[1].up_row, 32);
  EXPECT_EQ((*qkv)[1].rows, 32);
  auto linear1 = flux_bfl_slices("single_blocks_12_linear1", 3 * 32 + 128, 32, "k", "f");
  ASSERT_TRUE(linear1.ok());
  ASSERT_EQ(linear1->size(), 4u);
  EXPECT_EQ((*linear1)[3].module, "single_transformer_blocks.12.proj_mlp");
  EXPECT_EQ((*linear1)[3].up_row, 96);
  EXPECT_EQ((*linear1)[3].rows, 128);
  auto final_mod = flux_bfl_slices("final_layer_adaLN_modulation_1", 64, 32, "k", "f");
  ASSERT_TRUE(final_mod.ok());
  // BFL's shift rows go to diffusers' second half, its scale rows to the first.
  EXPECT_EQ((*final_mod)[0].module, "norm_out.linear");
  EXPECT_EQ((*final_mod)[0].up_row, 0);
  EXPECT_EQ((*final_mod)[0].weight_row, 32);
  EXPECT_EQ((*final_mod)[1].up_row, 32);
  EXPECT_EQ((*final_mod)[1].weight_row, 0);
  auto guidance = flux_bfl_slices("guidance_in_out_layer", 32, 32, "k", "f");
  ASSERT_TRUE(guidance.ok());
  EXPECT_EQ((*guidance)[0].module, "time_text_embed.guidance_embedder.linear_2");

  auto bad_split = flux_bfl_slices("double_blocks_0_img_attn_qkv", 95, 32, "the.key", "file.safetensors");
  ASSERT_FALSE(bad_split.ok());
  EXPECT_NE(bad_split.error().to_string().find("the.key"), std::string::npos);
  auto sdxl = flux_bfl_slices("input_blocks_4_1_proj_in", 320, 320, "k", "f");
  ASSERT_FALSE(sdxl.ok());
  EXPECT_NE(sdxl.error().to_string().find("SD/SDXL"), std::string::npos) << sdxl.error().to_string();
  EXPECT_FALSE(flux_bfl_slices("double_blocks_x_img_attn_qkv", 96, 32, "k", "f").ok());
  EXPECT_FALSE(flux_bfl_slices("double_blocks_0_img_attn_qkv_extra", 96, 32, "k", "f").ok());
}

TEST(LoRAFile, ComfyUIDottedNamesReadAsKohya) {
  test::TempDir tmp;
  const LoRALayer qkv =
      layer(read_lora_file(kCase / "kohya.safetensors").value_or_throw(), "double_blocks_0_img_attn_qkv");
  ASSERT_TRUE(
      write_safetensors(tmp / "comfy.safetensors",
                        {{"diffusion_model.double_blocks.0.img_attn.qkv.lora_A.weight", qkv.down},
                         {"diffusion_model.double_blocks.0.img_attn.qkv.lora_B.weight", qkv.up},
                         {"diffusion_model.double_blocks.0.img_attn.qkv.alpha", Tensor::from_vector({8.0f}, {})}}));
  auto f = read_lora_file(tmp / "comfy.safetensors");
  ASSERT_TRUE(f.ok()) << f.error().to_string();
  EXPECT_EQ(f->naming, LoRANaming::kBFL);
  ASSERT_EQ(f->layers.size(), 1u);
  EXPECT_EQ(f->layers[0].module, "double_blocks_0_img_attn_qkv");
  EXPECT_FLOAT_EQ(f->layers[0].scale, 2.0f);
}

TEST(LoRAFileErrors, NameTheFileAndTheKey) {
  test::TempDir tmp;
  const auto kohya = tensors_of(kCase / "kohya.safetensors");
  auto write_variant = [&](const std::string& name, auto edit) {
    auto tensors = kohya;
    edit(tensors);
    EXPECT_TRUE(write_safetensors(tmp / name, tensors));
    return tmp / name;
  };
  auto replace = [](std::vector<std::pair<std::string, Tensor>>& t, const std::string& key, const Tensor& v) {
    for (auto& [k, x] : t)
      if (k == key) x = v;
  };
  const std::string up_key = "lora_unet_double_blocks_0_img_mlp_0.lora_up.weight";

  // An up whose rank differs from its down's.
  const auto rank = write_variant("rank.safetensors", [&](auto& t) {
    replace(t, up_key, Tensor::from_vector(std::vector<float>(128 * 3, 0.f), {128, 3}));
  });
  std::string e = error_of(rank);
  EXPECT_NE(e.find("rank.safetensors"), std::string::npos) << e;
  EXPECT_NE(e.find(up_key), std::string::npos) << e;
  EXPECT_NE(e.find("ranks must agree"), std::string::npos) << e;

  // A key that is not a LoRA part.
  const auto unknown = write_variant("unknown.safetensors", [&](auto& t) {
    t.emplace_back("lora_unet_double_blocks_0_img_mlp_0.lora_mid.weight", Tensor::from_vector({1.f}, {1}));
  });
  e = error_of(unknown);
  EXPECT_NE(e.find("lora_unet_double_blocks_0_img_mlp_0.lora_mid.weight"), std::string::npos) << e;
  const auto foreign = write_variant("foreign.safetensors", [&](auto& t) {
    t.emplace_back("model.diffusion_model.input_blocks.1.weight", Tensor::from_vector({1.f}, {1}));
  });
  EXPECT_NE(error_of(foreign).find("is not a LoRA key"), std::string::npos);

  // A down without its up.
  const auto orphan = write_variant(
      "orphan.safetensors", [&](auto& t) { std::erase_if(t, [&](const auto& kv) { return kv.first == up_key; }); });
  e = error_of(orphan);
  EXPECT_NE(e.find("lora_unet_double_blocks_0_img_mlp_0.lora_down.weight"), std::string::npos) << e;
  EXPECT_NE(e.find("no matching lora_up"), std::string::npos) << e;

  // Variants we do not apply are refused, not silently half-applied.
  const auto dora = write_variant("dora.safetensors", [&](auto& t) {
    t.emplace_back("lora_unet_double_blocks_0_img_mlp_0.dora_scale", Tensor::from_vector({1.f}, {1, 1}));
  });
  EXPECT_EQ(read_lora_file(dora).error().code(), ErrorCode::kNotSupported);
  const auto alpha = write_variant("alpha.safetensors", [&](auto& t) {
    replace(t, "lora_unet_double_blocks_0_img_attn_qkv.alpha", Tensor::from_vector({1.f, 2.f}, {2}));
  });
  EXPECT_NE(error_of(alpha).find("single number"), std::string::npos);

  // Mixed namings, text-encoder-only files, empty files.
  const auto mixed = write_variant("mixed.safetensors", [&](auto& t) {
    t.emplace_back("transformer.x_embedder.lora_A.weight", Tensor::from_vector({1.f}, {1, 1}));
  });
  EXPECT_NE(error_of(mixed).find("mixes"), std::string::npos);
  ASSERT_TRUE(write_safetensors(
      tmp / "te.safetensors",
      {{"lora_te1_text_model_encoder_layers_0_mlp_fc1.lora_down.weight", Tensor::from_vector({1.f}, {1, 1})}}));
  EXPECT_NE(error_of(tmp / "te.safetensors").find("only text-encoder"), std::string::npos);
  ASSERT_TRUE(write_safetensors(tmp / "empty.safetensors", {}));
  EXPECT_NE(error_of(tmp / "empty.safetensors").find("no LoRA layers"), std::string::npos);
}

TEST(LoRAFileErrors, TruncatedAndMissingFiles) {
  test::TempDir tmp;
  const std::string bytes = test::read_file(kCase / "kohya.safetensors");
  test::write_file(tmp / "cut.safetensors", bytes.substr(0, bytes.size() / 2));
  const std::string e = error_of(tmp / "cut.safetensors");
  EXPECT_NE(e.find("cut.safetensors"), std::string::npos) << e;
  test::write_file(tmp / "tiny.safetensors", bytes.substr(0, 5));
  EXPECT_NE(error_of(tmp / "tiny.safetensors").find("tiny.safetensors"), std::string::npos);
  EXPECT_EQ(read_lora_file(tmp / "none.safetensors").error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace dc
