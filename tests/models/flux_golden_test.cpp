// FLUX transformer against diffusers' FluxTransformer2DModel on tiny random-weight
// checkpoints (tests/reference/make_flux_goldens.py), on the CPU.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/io/diffusers/component_folder.h"
#include "core/nn/tap.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

using models::flux::FluxInputs;
using models::flux::FluxTransformer;

class FluxGoldenCpu : public ::testing::TestWithParam<std::string> {};

// f32: rel-L2 ≤ 1e-4 against the f32 reference, for the output and every block output.
TEST_P(FluxGoldenCpu, F32MatchesDiffusers) {
  const test::FluxParity p = test::run_flux_golden(GetParam(), {Device::cpu(), DType::kF32});
  EXPECT_GE(p.sample_rel_l2, 0.0);
  EXPECT_LE(p.sample_rel_l2, 1e-4);
  EXPECT_FALSE(p.tap_rel_l2.empty());
  for (const auto& [tap, err] : p.tap_rel_l2) EXPECT_LE(err, 1e-4) << tap;
  std::printf("[%s] f32 rel-L2 sample %.2e\n", GetParam().c_str(), p.sample_rel_l2);
}

// bf16 weights and activations against the f32 golden: max(2e-2, 2 x diffusers' own bf16 error).
TEST_P(FluxGoldenCpu, BF16WithinBF16Tolerance) {
  const test::FluxParity p = test::run_flux_golden(GetParam(), {Device::cpu(), DType::kBF16});
  const double tol = test::flux_bf16_tolerance(GetParam());
  EXPECT_GE(p.sample_rel_l2, 0.0);
  EXPECT_LE(p.sample_rel_l2, tol);
  std::printf("[%s] bf16 rel-L2 sample %.2e (bound %.2e)\n", GetParam().c_str(), p.sample_rel_l2, tol);
}

// The deprecated batched ids [B, L, 3] (diffusers keeps ids[0]) and a rope table
// prepared once give exactly the plain result.
TEST_P(FluxGoldenCpu, BatchedIdsAndPreparedRopeGiveTheSameSample) {
  auto model = FluxTransformer::load(test::flux_transformer_dir(GetParam()), {});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  const auto g = test::flux_goldens(GetParam());
  const FluxInputs plain = test::flux_golden_inputs(g);
  const Tensor expected = (*model)->forward(plain);

  FluxInputs batched = plain;
  const int64_t b = plain.hidden_states.size(0);
  batched.img_ids = plain.img_ids.unsqueeze(0).expand({b, plain.img_ids.size(0), plain.img_ids.size(1)});
  batched.txt_ids = ops::cast(plain.txt_ids.unsqueeze(0).expand({b, plain.txt_ids.size(0), 3}), DType::kBF16);
  EXPECT_EQ(ops::max_abs_diff((*model)->forward(batched), expected), 0.0);

  auto rope = (*model)->prepare_rope(plain.img_ids, plain.txt_ids);
  ASSERT_TRUE(rope.ok()) << rope.error().to_string();
  FluxInputs prepared = plain;
  prepared.img_ids = prepared.txt_ids = Tensor();
  prepared.rope = &*rope;
  EXPECT_EQ(ops::max_abs_diff((*model)->forward(prepared), expected), 0.0);
  EXPECT_GT(ops::relative_l2(expected, g.at("sample")), 0.0);  // not a copy of the golden by accident
}

// The module tree declares exactly the checkpoint's tensors, with the same shapes.
TEST_P(FluxGoldenCpu, BindsExactlyTheCheckpointKeys) {
  auto component = open_component(test::flux_transformer_dir(GetParam()));
  ASSERT_TRUE(component.ok()) << component.error().to_string();
  auto config = models::flux::parse_flux_config(component->config);
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  FluxTransformer model(*config);
  std::map<std::string, Shape> ours, theirs;
  for (const nn::Parameter* p : model.parameters()) ours[p->key()] = p->expected_shape();
  for (const std::string& key : component->weights.tensor_names()) {
    theirs[key] = component->weights.info(key).value_or_throw().shape;
  }
  EXPECT_EQ(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(Cases, FluxGoldenCpu, ::testing::ValuesIn(test::flux_golden_cases()),
                         [](const auto& info) { return info.param; });

// In bf16 the module rounds timestep and guidance to bf16 before and after x1000
// (0.73 -> 732): our temb must match diffusers' bf16 temb for values where that
// rounding matters (the generator checked it moves temb by > 0.2 rel-L2).
TEST(FluxBf16, TimestepAndGuidanceRoundLikeDiffusers) {
  const std::string name = "dcgen_c128_patch2_kontext_ids";
  const auto g = test::flux_goldens(name);
  ASSERT_TRUE(g.count("rounding_check:temb_bf16"));
  auto model = FluxTransformer::load(test::flux_transformer_dir(name), {Device::cpu(), DType::kBF16});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  FluxInputs in = test::flux_golden_inputs(g);
  in.timestep = g.at("rounding_check:timestep");
  in.guidance = g.at("rounding_check:guidance");
  Tensor temb;
  {
    nn::TapScope scope([&](const std::string& path, const Tensor& t) {
      if (path == "temb") temb = ops::clone(t);
    });
    (void)(*model)->forward(in);
  }
  ASSERT_TRUE(temb.defined());
  const double err = ops::relative_l2(temb, g.at("rounding_check:temb_bf16"));
  EXPECT_LE(err, 2e-2);
  std::printf("bf16 temb vs diffusers bf16 temb (rounded timestep): rel-L2 %.2e\n", err);
}

// ---- config ----

Result<models::flux::FluxConfig> parse(const std::string& json) {
  DC_TRY(ConfigReader r, ConfigReader::parse(json, "transformer/config.json"));
  return models::flux::parse_flux_config(r);
}

TEST(FluxConfig, DefaultsAreFlux1AndOutChannelsFallsBackToIn) {
  auto c = parse(R"({"_class_name": "FluxTransformer2DModel", "guidance_embeds": true, "out_channels": null})");
  ASSERT_TRUE(c.ok()) << c.error().to_string();
  EXPECT_EQ(c->in_channels, 64);
  EXPECT_EQ(c->out_channels, 64);
  EXPECT_EQ(c->num_layers, 19);
  EXPECT_EQ(c->num_single_layers, 38);
  EXPECT_EQ(c->inner_dim(), 3072);
  EXPECT_EQ(c->axes_dims_rope, (std::vector<int64_t>{16, 56, 56}));
  EXPECT_TRUE(c->guidance_embeds);
  auto dcgen = parse(R"({"in_channels": 32, "patch_size": 2})");
  ASSERT_TRUE(dcgen.ok());
  EXPECT_EQ(dcgen->out_channels, 32);
  EXPECT_EQ(dcgen->output_channels(), 128);
}

TEST(FluxConfig, InvalidValuesAreErrorsNamingTheKey) {
  const std::pair<const char*, const char*> bad[] = {
      {R"({"axes_dims_rope": [16, 56, 48]})", "axes_dims_rope"},
      {R"({"axes_dims_rope": [15, 57, 56]})", "axes_dims_rope"},
      {R"({"patch_size": 0})", "patch_size"},
      {R"({"num_attention_heads": -2})", "num_attention_heads"},
      {R"({"in_channels": "64"})", "in_channels"},
      {R"({"num_layers": -1})", "num_layers"},
  };
  for (const auto& [json, key] : bad) {
    auto c = parse(json);
    ASSERT_FALSE(c.ok()) << json;
    EXPECT_NE(c.error().message().find(key), std::string::npos) << c.error().to_string();
    EXPECT_NE(c.error().message().find("transformer/config.json"), std::string::npos) << c.error().to_string();
  }
}

TEST(FluxLoad, WrongClassNameIsNotSupported) {
  test::TempDir tmp;
  const auto src = test::flux_transformer_dir("dcgen_c32_guidance");
  std::filesystem::copy(src, tmp / "transformer");
  std::ifstream in(tmp / "transformer" / "config.json");
  nlohmann::json j = nlohmann::json::parse(in);
  in.close();
  j["_class_name"] = "SD3Transformer2DModel";
  std::ofstream(tmp / "transformer" / "config.json") << j.dump();
  auto model = FluxTransformer::load(tmp / "transformer", {});
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().code(), ErrorCode::kNotSupported);
}

// ---- inputs ----

class FluxInputErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    auto m = FluxTransformer::load(test::flux_transformer_dir("dcgen_c32_guidance"), {});
    ASSERT_TRUE(m.ok()) << m.error().to_string();
    model_ = std::move(*m);
    goldens_ = test::flux_goldens("dcgen_c32_guidance");
  }
  // validate() and forward() both reject `in` with an error naming `input`.
  void expect_rejected(const FluxInputs& in, const std::string& input) {
    const Status s = model_->validate(in);
    ASSERT_FALSE(s.ok()) << "accepted bad " << input;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message().find(input), std::string::npos) << s.error().to_string();
    auto thrown = catch_errors([&] { return model_->forward(in); });
    ASSERT_FALSE(thrown.ok());
    EXPECT_NE(thrown.error().message().find(input), std::string::npos) << thrown.error().to_string();
  }
  FluxInputs good() const { return test::flux_golden_inputs(goldens_); }

  std::unique_ptr<FluxTransformer> model_;
  std::map<std::string, Tensor> goldens_;
};

TEST_F(FluxInputErrors, GoodInputsPass) { EXPECT_TRUE(model_->validate(good()).ok()); }

TEST_F(FluxInputErrors, EachBadInputIsNamed) {
  FluxInputs in = good();
  in.hidden_states = Tensor();
  expect_rejected(in, "'hidden_states'");
  in = good();
  in.hidden_states = ops::zeros({2, 24, 31}, DType::kF32);  // in_channels is 32
  expect_rejected(in, "'hidden_states'");
  in = good();
  in.encoder_hidden_states = ops::zeros({1, 5, 32}, DType::kF32);  // batch 1 vs 2
  expect_rejected(in, "'encoder_hidden_states'");
  in = good();
  in.pooled_projections = ops::zeros({2, 15}, DType::kF32);
  expect_rejected(in, "'pooled_projections'");
  in = good();
  in.timestep = ops::zeros({3}, DType::kF32);
  expect_rejected(in, "'timestep'");
  in = good();
  in.guidance = Tensor();  // the model is guidance-distilled
  expect_rejected(in, "'guidance'");
  in = good();
  in.img_ids = in.img_ids.slice(0, 0, 23);  // one row short
  expect_rejected(in, "'img_ids'");
  in = good();
  in.img_ids = ops::zeros({24, 2}, DType::kF32);  // 3 RoPE axes
  expect_rejected(in, "'img_ids'");
  in = good();
  in.txt_ids = ops::zeros({6, 3}, DType::kF32);
  expect_rejected(in, "'txt_ids'");
  in = good();
  in.hidden_states = Tensor::from_vector_i64(std::vector<int64_t>(2 * 24 * 32, 1), {2, 24, 32});
  expect_rejected(in, "'hidden_states'");
}

TEST(FluxInputs, GuidanceForAModelWithoutGuidanceEmbedderIsAnError) {
  const std::string name = "c64_out48_no_guidance_sharded";
  auto model = FluxTransformer::load(test::flux_transformer_dir(name), {});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  FluxInputs in = test::flux_golden_inputs(test::flux_goldens(name));
  EXPECT_TRUE((*model)->validate(in).ok());
  in.guidance = ops::full({2}, 3.5f, DType::kF32);
  const Status s = (*model)->validate(in);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("guidance_embeds"), std::string::npos) << s.error().to_string();
}

}  // namespace
}  // namespace dc
