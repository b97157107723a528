// LoRAs merged into the FLUX transformer (core/models/flux/flux_lora.h) against
// diffusers' fused LoRAs (tests/reference/make_flux_lora_goldens.py), on the CPU:
// parity in f32 and bf16 for kohya and diffusers layouts and for two LoRAs at once,
// row placement in the fused q/k/v and q/k/v+MLP matrices, strength 0, exact
// unmerge and history-independent switching, the no-re-merge cache, and errors.
#include "core/models/flux/flux_lora.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/lora/lora_file.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"
#include "tests/models/flux_lora_test_support.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

namespace fs = std::filesystem;
using models::flux::FluxLoRAStack;
using models::flux::FluxTransformer;
using test::expect_same_weights;
using GoldenCase = test::FluxLoRAGolden;

const fs::path kLoRAData = test::flux_lora_dir();

std::unique_ptr<FluxTransformer> load(const std::string& base, DType dtype = DType::kF32) {
  return test::load_flux_case(base, {Device::cpu(), dtype});
}

Tensor forward(const FluxTransformer& model, const std::string& base, DType dtype = DType::kF32) {
  return test::flux_case_forward(model, base, {Device::cpu(), dtype});
}

Status apply(FluxLoRAStack& stack, FluxTransformer& model, const std::string& base, const std::vector<LoRASpec>& loras,
             DType dtype = DType::kF32) {
  auto r = stack.apply(model, test::flux_transformer_dir(base), {Device::cpu(), dtype}, loras);
  if (!r) return r.error();
  return {};
}

const Tensor& parameter(const FluxTransformer& m, const std::string& key) {
  for (const nn::Parameter* p : m.parameters())
    if (p->key() == key) return p->get();
  throw std::runtime_error("no parameter " + key);
}

class FluxLoRAGolden : public ::testing::TestWithParam<GoldenCase> {};

// f32: the merged forward against diffusers' fused forward, and the fused weights
// (the rows of the stacked q/k/v, q/k/v+MLP and adaLN matrices) against diffusers'.
TEST_P(FluxLoRAGolden, F32MatchesDiffusersFusedLoRA) {
  const GoldenCase& c = GetParam();
  auto model = load(c.base);
  ASSERT_TRUE(model);
  const Tensor base_out = forward(*model, c.base);
  FluxLoRAStack stack;
  const Status merged = apply(stack, *model, c.base, c.loras);
  ASSERT_TRUE(merged) << merged.error().to_string();
  const auto g = test::flux_lora_golden_tensors(c.base);
  const Tensor out = forward(*model, c.base);
  const double err = ops::relative_l2(out, g.at("sample:" + c.name));
  EXPECT_LE(err, 1e-4);
  EXPECT_GT(ops::relative_l2(base_out, g.at("sample:" + c.name)), 0.05);  // the LoRA matters
  const nlohmann::json m = test::flux_lora_manifest();
  for (const auto& key : m["checked_weights"]) {
    const std::string k = key;
    EXPECT_LE(ops::relative_l2(parameter(*model, k), g.at("weight:" + c.name + ":" + k)), 1e-6) << k;
  }
  std::printf("[%s/%s] f32 rel-L2 %.2e\n", c.base.c_str(), c.name.c_str(), err);
}

// bf16 weights: merged in f32 and rounded once; max(2e-2, 2 x diffusers' own bf16 error).
TEST_P(FluxLoRAGolden, BF16WithinBF16Tolerance) {
  const GoldenCase& c = GetParam();
  auto model = load(c.base, DType::kBF16);
  ASSERT_TRUE(model);
  FluxLoRAStack stack;
  ASSERT_TRUE(apply(stack, *model, c.base, c.loras, DType::kBF16));
  const double err = ops::relative_l2(forward(*model, c.base, DType::kBF16),
                                      test::flux_lora_golden_tensors(c.base).at("sample:" + c.name));
  EXPECT_LE(err, c.bf16_tolerance);
  std::printf("[%s/%s] bf16 rel-L2 %.2e (bound %.2e)\n", c.base.c_str(), c.name.c_str(), err, c.bf16_tolerance);
}

INSTANTIATE_TEST_SUITE_P(Goldens, FluxLoRAGolden, ::testing::ValuesIn(test::flux_lora_goldens()), [](const auto& info) {
  std::string n = info.param.base + "_" + info.param.name;
  for (char& ch : n) ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return n;
});

const std::string kBase = "c64_out48_no_guidance_sharded";  // sharded: restores read several files
fs::path lora(const std::string& name) { return kLoRAData / kBase / name; }

TEST(FluxLoRA, StrengthZeroIsTheBaseModel) {
  auto model = load(kBase), fresh = load(kBase);
  ASSERT_TRUE(model && fresh);
  FluxLoRAStack stack;
  ASSERT_TRUE(apply(stack, *model, kBase, {{lora("kohya.safetensors"), 0.0}}));
  expect_same_weights(*model, *fresh);
  EXPECT_EQ(ops::max_abs_diff(forward(*model, kBase), forward(*fresh, kBase)), 0.0);
}

// Back to no LoRA: every weight is the checkpoint's bit for bit (read back, not subtracted),
// in f32 and bf16; a switch A -> B gives exactly what B alone gives (no history).
TEST(FluxLoRA, UnmergeRestoresTheBaseWeightsExactly) {
  for (DType dtype : {DType::kF32, DType::kBF16}) {
    auto model = load(kBase, dtype), fresh = load(kBase, dtype);
    ASSERT_TRUE(model && fresh);
    const Tensor base_out = forward(*fresh, kBase, dtype);
    FluxLoRAStack stack;
    ASSERT_TRUE(apply(stack, *model, kBase, {{lora("kohya.safetensors"), 0.7}}, dtype));
    EXPECT_GT(ops::relative_l2(forward(*model, kBase, dtype), base_out), 0.05);
    ASSERT_TRUE(apply(stack, *model, kBase, {}, dtype));
    expect_same_weights(*model, *fresh);
    EXPECT_EQ(ops::max_abs_diff(forward(*model, kBase, dtype), base_out), 0.0);

    ASSERT_TRUE(apply(stack, *model, kBase, {{lora("kohya.safetensors"), 0.7}}, dtype));
    ASSERT_TRUE(apply(stack, *model, kBase, {{lora("peft_alphas.safetensors"), 1.0}}, dtype));
    FluxLoRAStack fresh_stack;
    ASSERT_TRUE(apply(fresh_stack, *fresh, kBase, {{lora("peft_alphas.safetensors"), 1.0}}, dtype));
    expect_same_weights(*model, *fresh);
  }
}

// Two LoRAs add up: merging A then B equals diffusers' A then B (the golden) and, to
// f32 rounding, B then A.
TEST(FluxLoRA, TwoLoRAsCompose) {
  auto ab = load(kBase), ba = load(kBase);
  ASSERT_TRUE(ab && ba);
  FluxLoRAStack s1, s2;
  ASSERT_TRUE(apply(s1, *ab, kBase, {{lora("kohya.safetensors"), 0.7}, {lora("peft_metadata.safetensors"), -0.5}}));
  ASSERT_TRUE(apply(s2, *ba, kBase, {{lora("peft_metadata.safetensors"), -0.5}, {lora("kohya.safetensors"), 0.7}}));
  const Tensor out = forward(*ab, kBase);
  EXPECT_LE(ops::relative_l2(out, test::flux_lora_golden_tensors(kBase).at("sample:kohya+peft_metadata")), 1e-4);
  EXPECT_LE(ops::relative_l2(forward(*ba, kBase), out), 1e-5);
  ASSERT_EQ(s1.merged().size(), 2u);
  EXPECT_EQ(s1.merged()[0].name, "kohya");
  EXPECT_EQ(s1.merged()[1].spec.strength, -0.5);
  const nlohmann::json m = test::flux_lora_manifest();
  EXPECT_EQ(s1.merged()[0].sha256, m["cases"][1]["addnet_sha256"]["kohya.safetensors"].get<std::string>());
}

// The same set again is not merged again; a changed file or strength is.
TEST(FluxLoRA, SameSetIsNotMergedAgain) {
  test::TempDir tmp;
  fs::copy_file(lora("kohya.safetensors"), tmp / "style.safetensors");
  auto model = load(kBase);
  ASSERT_TRUE(model);
  FluxLoRAStack stack;
  const nn::LoadOptions f32{Device::cpu(), DType::kF32};
  const fs::path dir = test::flux_transformer_dir(kBase);
  EXPECT_TRUE(stack.apply(*model, dir, f32, {{tmp / "style.safetensors", 0.7}}).value_or_throw());
  const Tensor once = ops::clone(parameter(*model, "transformer_blocks.0.attn.to_q.weight"));
  EXPECT_FALSE(stack.apply(*model, dir, f32, {{tmp / "style.safetensors", 0.7}}).value_or_throw());
  EXPECT_EQ(ops::max_abs_diff(parameter(*model, "transformer_blocks.0.attn.to_q.weight"), once), 0.0);
  EXPECT_TRUE(stack.apply(*model, dir, f32, {{tmp / "style.safetensors", 0.5}}).value_or_throw());
  // The file replaced by another LoRA under the same name.
  fs::copy_file(lora("peft_alphas.safetensors"), tmp / "style.safetensors", fs::copy_options::overwrite_existing);
  EXPECT_TRUE(stack.apply(*model, dir, f32, {{tmp / "style.safetensors", 0.5}}).value_or_throw());
  EXPECT_FALSE(stack.apply(*model, dir, f32, {{tmp / "style.safetensors", 0.5}}).value_or_throw());
  EXPECT_TRUE(stack.apply(*model, dir, f32, {}).value_or_throw());
  EXPECT_FALSE(stack.apply(*model, dir, f32, {}).value_or_throw());
}

// Files that do not fit the model: errors naming the file and the key, and the
// weights untouched (the merged set stays as it was).
TEST(FluxLoRA, MisfitFilesAreRefusedBeforeAnyWeightChanges) {
  test::TempDir tmp;
  auto model = load("dcgen_c32_guidance"), fresh = load("dcgen_c32_guidance");
  ASSERT_TRUE(model && fresh);
  FluxLoRAStack stack;
  auto error_of = [&](const std::vector<LoRASpec>& loras) {
    const Status s = apply(stack, *model, "dcgen_c32_guidance", loras);
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(stack.consistent());
    return s.ok() ? std::string() : s.error().to_string();
  };
  // A LoRA for another FLUX size: c64's img_in reads 64 channels, this model 32.
  std::string e = error_of({{lora("kohya.safetensors"), 1.0}});
  EXPECT_NE(e.find("kohya.safetensors"), std::string::npos) << e;
  EXPECT_NE(e.find("lora_unet_"), std::string::npos) << e;
  EXPECT_NE(e.find("different FLUX size"), std::string::npos) << e;
  // A layer this model does not have: c64 has no guidance embedder, so c32's guidance_in fails on it.
  auto c64 = load(kBase);
  ASSERT_TRUE(c64);
  FluxLoRAStack c64_stack;
  const Status s = apply(c64_stack, *c64, kBase, {{kLoRAData / "dcgen_c32_guidance" / "kohya.safetensors", 1.0}});
  ASSERT_FALSE(s.ok());
  // A diffusers-layout LoRA for another transformer (Sana/SD3-style "attn1").
  const Tensor down = Tensor::from_vector(std::vector<float>(4 * 32, 0.1f), {4, 32});
  const Tensor up = Tensor::from_vector(std::vector<float>(32 * 4, 0.1f), {32, 4});
  ASSERT_TRUE(
      write_safetensors(tmp / "sana.safetensors", {{"transformer.transformer_blocks.0.attn1.to_q.lora_A.weight", down},
                                                   {"transformer.transformer_blocks.0.attn1.to_q.lora_B.weight", up}}));
  e = error_of({{tmp / "sana.safetensors", 1.0}});
  EXPECT_NE(e.find("transformer.transformer_blocks.0.attn1.to_q.lora_A.weight"), std::string::npos) << e;
  EXPECT_NE(e.find("does not have"), std::string::npos) << e;
  // A block beyond this model's depth.
  ASSERT_TRUE(
      write_safetensors(tmp / "deep.safetensors", {{"lora_unet_double_blocks_7_img_attn_proj.lora_down.weight", down},
                                                   {"lora_unet_double_blocks_7_img_attn_proj.lora_up.weight", up}}));
  EXPECT_NE(error_of({{tmp / "deep.safetensors", 1.0}}).find("transformer_blocks.7.attn.to_out.0"), std::string::npos);
  // An up whose rows do not match the module.
  const Tensor up_rows = Tensor::from_vector(std::vector<float>(40 * 4, 0.1f), {40, 4});
  ASSERT_TRUE(write_safetensors(tmp / "rows.safetensors", {{"lora_unet_img_in.lora_down.weight", down},
                                                           {"lora_unet_img_in.lora_up.weight", up_rows}}));
  e = error_of({{tmp / "rows.safetensors", 1.0}});
  EXPECT_NE(e.find("40 output rows"), std::string::npos) << e;
  // Not found, not finite.
  EXPECT_EQ(apply(stack, *model, "dcgen_c32_guidance", {{tmp / "none.safetensors", 1.0}}).error().code(),
            ErrorCode::kNotFound);
  EXPECT_FALSE(apply(stack, *model, "dcgen_c32_guidance",
                     {{kLoRAData / "dcgen_c32_guidance" / "kohya.safetensors", std::nan("")}}));
  // A good file listed with a bad one: nothing merged.
  error_of({{kLoRAData / "dcgen_c32_guidance" / "kohya.safetensors", 1.0}, {tmp / "sana.safetensors", 1.0}});
  expect_same_weights(*model, *fresh);
  EXPECT_TRUE(stack.merged().empty());
}

}  // namespace
}  // namespace dc
