// CLIPTextModel and T5EncoderModel against transformers on tiny random-weight
// checkpoints (tests/reference/make_text_encoder_goldens.py), on the CPU; plus
// the published FLUX.1 text encoders' key layout, T5's position buckets, config
// parsing and input errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/diffusers/config_reader.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/models/text/clip_text_model.h"
#include "core/models/text/t5_encoder.h"
#include "core/models/text/t5_relative_position.h"
#include "tests/common/test_util.h"
#include "tests/models/text_encoder_test_support.h"

namespace dc {
namespace {

using models::text::ClipTextModel;
using models::text::T5Encoder;

std::string case_label(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

class TextEncoderGoldenCpu : public ::testing::TestWithParam<std::string> {};

// f32: rel-L2 ≤ 1e-4 against transformers' f32 outputs, every tensor.
TEST_P(TextEncoderGoldenCpu, F32MatchesTransformers) {
  const test::TextEncoderParity p = test::run_text_encoder_golden(GetParam(), {Device::cpu(), DType::kF32});
  ASSERT_FALSE(p.empty());
  for (const auto& [tensor, err] : p) {
    EXPECT_LE(err, 1e-4) << tensor;
    EXPECT_GE(err, 0.0) << tensor;
    std::printf("[%s] f32 %-32s rel-L2 %.2e\n", GetParam().c_str(), tensor.c_str(), err);
  }
}

// bf16 weights and activations: within max(2e-2, 2 × transformers' own bf16 error).
TEST_P(TextEncoderGoldenCpu, BF16WithinReferenceBF16Error) {
  const test::TextEncoderParity p = test::run_text_encoder_golden(GetParam(), {Device::cpu(), DType::kBF16});
  ASSERT_FALSE(p.empty());
  for (const auto& [tensor, err] : p) {
    const double tol = test::text_encoder_low_precision_tolerance(GetParam(), "bf16", tensor);
    EXPECT_LE(err, tol) << tensor;
    EXPECT_GT(err, 0.0) << tensor << ": bf16 output equals the f32 golden exactly; did it run in bf16?";
    std::printf("[%s] bf16 %-32s rel-L2 %.2e (bound %.2e)\n", GetParam().c_str(), tensor.c_str(), err, tol);
  }
}

// f16 (T5: "wo" kept in f32 and an f32 residual stream after it, as transformers does).
TEST_P(TextEncoderGoldenCpu, F16WithinReferenceF16Error) {
  if (!test::text_encoder_has_reference(GetParam(), "f16")) GTEST_SKIP() << "no f16 reference recorded for this case";
  const test::TextEncoderParity p = test::run_text_encoder_golden(GetParam(), {Device::cpu(), DType::kF16});
  ASSERT_FALSE(p.empty());
  for (const auto& [tensor, err] : p) {
    const double tol = test::text_encoder_low_precision_tolerance(GetParam(), "f16", tensor);
    EXPECT_LE(err, tol) << tensor;
    EXPECT_GT(err, 0.0) << tensor;
    std::printf("[%s] f16 %-32s rel-L2 %.2e (bound %.2e)\n", GetParam().c_str(), tensor.c_str(), err, tol);
  }
}

// weight_bytes reads only config.json and agrees with transformers' parameter count.
TEST_P(TextEncoderGoldenCpu, WeightBytesFollowParameterCount) {
  const test::TextEncoderCase c = test::text_encoder_case(GetParam());
  const bool clip = c.class_name == "CLIPTextModel";
  auto bytes = [&](DType t) { return clip ? ClipTextModel::weight_bytes(c.folder, t) : T5Encoder::weight_bytes(c.folder, t); };
  auto f32 = bytes(DType::kF32), bf16 = bytes(DType::kBF16);
  ASSERT_TRUE(f32.ok() && bf16.ok());
  EXPECT_EQ(*f32, 4 * c.num_parameters);
  EXPECT_EQ(*bf16, 2 * c.num_parameters);
}

INSTANTIATE_TEST_SUITE_P(Cases, TextEncoderGoldenCpu, ::testing::ValuesIn(test::text_encoder_case_names()), case_label);

// At f16 T5's "wo" weights stay f32 (transformers' _keep_in_fp32_modules), everything else is f16;
// at bf16 every weight is bf16, as transformers loads it.
TEST(T5EncoderLoad, KeepsWoInF32AtF16Only) {
  const auto folder = test::text_encoder_case("t5_gated_gelu_v1_1").folder;
  for (DType dtype : {DType::kF16, DType::kBF16}) {
    auto model = T5Encoder::load(folder, {Device::cpu(), dtype});
    ASSERT_TRUE(model.ok()) << model.error().to_string();
    int wo = 0;
    for (const nn::Parameter* p : (*model)->parameters()) {
      const bool is_wo = p->key().ends_with(".DenseReluDense.wo.weight");
      wo += is_wo;
      EXPECT_EQ(p->get().dtype(), is_wo && dtype == DType::kF16 ? DType::kF32 : dtype) << p->key();
    }
    EXPECT_EQ(wo, (*model)->config().num_layers);
  }
}

// Each CLIP case's pooling rule picks the positions transformers picked, and the
// other rule would pick different ones (so the goldens tell the rules apart).
TEST(ClipTextModelPooling, FollowsTheConfiguredEosRule) {
  int clip_cases = 0;
  for (const test::TextEncoderCase& c : test::text_encoder_cases()) {
    if (c.class_name != "CLIPTextModel") continue;
    ++clip_cases;
    auto model = ClipTextModel::load(c.folder, {});
    ASSERT_TRUE(model.ok()) << model.error().to_string();
    const Tensor ids = SafetensorsFile::open(c.golden).value_or_throw()->tensor("input_ids").value_or_throw();
    EXPECT_EQ((*model)->pooling_positions(ops::contiguous(ids)), c.pooling_positions) << c.name;
    EXPECT_NE(c.pooling_positions, c.other_rule_positions) << c.name;
  }
  EXPECT_EQ(clip_cases, 2);
}

// Bucket of every relative position in [-300, 300] equals transformers' for the
// T5-XXL config (32 buckets, max distance 128) and the goldens' configs.
TEST(T5RelativePositionBucket, MatchesTransformers) {
  std::ifstream in(test::text_encoder_data_dir() / "t5_buckets.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  ASSERT_EQ(j.at("tables").size(), 3u);
  for (const auto& t : j.at("tables")) {
    const int64_t nb = t.at("num_buckets"), md = t.at("max_distance"), first = t.at("first_relative_position");
    const auto expected = t.at("buckets").get<std::vector<int64_t>>();
    int64_t mismatches = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      const int64_t rp = first + static_cast<int64_t>(i);
      const int64_t ours = models::text::t5_relative_position_bucket(rp, true, nb, md);
      if (ours != expected[i]) ++mismatches;
      EXPECT_EQ(ours, expected[i]) << "relative position " << rp << " (buckets " << nb << ", max distance " << md << ")";
      if (mismatches > 5) return;
    }
  }
  const Tensor grid = models::text::t5_relative_position_buckets(3, 4, true, 32, 128);
  EXPECT_EQ(grid.shape(), (Shape{3, 4}));
  EXPECT_EQ(grid.data<int64_t>()[0 * 4 + 3], models::text::t5_relative_position_bucket(3, true, 32, 128));
  EXPECT_EQ(grid.data<int64_t>()[2 * 4 + 0], models::text::t5_relative_position_bucket(-2, true, 32, 128));
}

// The published architectures (FLUX.1's text_encoder and text_encoder_2): our
// module tree declares exactly the tensors transformers' save_pretrained writes.
class TextEncoderPublishedLayout : public ::testing::TestWithParam<std::string> {};

TEST_P(TextEncoderPublishedLayout, BindsExactlyTheTransformersKeys) {
  const auto dir = test::text_encoder_data_dir() / "published" / GetParam();
  auto reader = ConfigReader::from_file(dir / "config.json");
  ASSERT_TRUE(reader.ok()) << reader.error().to_string();
  std::unique_ptr<nn::Module> model;
  DType bytes_dtype = DType::kBF16;
  Result<int64_t> bytes = int64_t{0};
  if (reader->class_name().value_or_throw() == "CLIPTextModel") {
    auto config = models::text::parse_clip_text_config(*reader);
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_TRUE(config->legacy_eos_pooling());
    model = std::make_unique<ClipTextModel>(*config);
    bytes = ClipTextModel::weight_bytes(dir, bytes_dtype);
  } else {
    auto config = models::text::parse_t5_config(*reader);
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_TRUE(config->is_gated_act);
    EXPECT_EQ(config->dense_act, ops::Activation::kGELUTanh);
    model = std::make_unique<T5Encoder>(*config, false);
    bytes = T5Encoder::weight_bytes(dir, bytes_dtype);
  }
  std::ifstream in(dir / "params.json");
  const nlohmann::json expected = nlohmann::json::parse(in);
  std::map<std::string, Shape> ours, theirs;
  int64_t count = 0;
  for (const nn::Parameter* p : model->parameters()) {
    ours[p->key()] = p->expected_shape();
    count += shape_numel(p->expected_shape());
  }
  for (const auto& [key, shape] : expected.at("tensors").items()) theirs[key] = shape.get<Shape>();
  EXPECT_EQ(ours, theirs);
  EXPECT_EQ(count, expected.at("num_parameters").get<int64_t>());
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, 2 * count);
}

INSTANTIATE_TEST_SUITE_P(Architectures, TextEncoderPublishedLayout,
                         ::testing::Values("clip-vit-large-patch14-text", "t5-v1_1-xxl-encoder"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& ch : n)
                             if (ch == '-' || ch == '.') ch = '_';
                           return n;
                         });

Result<ConfigReader> config_of(const std::string& json) { return ConfigReader::parse(json, "text_encoder/config.json"); }

TEST(TextEncoderConfig, T5FeedForwardProjAsTransformersParsesIt) {
  auto gated = models::text::parse_t5_config(config_of(R"({"feed_forward_proj": "gated-gelu"})").value_or_throw());
  ASSERT_TRUE(gated.ok());
  EXPECT_TRUE(gated->is_gated_act);
  EXPECT_EQ(gated->dense_act, ops::Activation::kGELUTanh);  // gelu_new
  auto silu = models::text::parse_t5_config(config_of(R"({"feed_forward_proj": "gated-silu"})").value_or_throw());
  ASSERT_TRUE(silu.ok());
  EXPECT_TRUE(silu->is_gated_act);
  EXPECT_EQ(silu->dense_act, ops::Activation::kSiLU);
  auto relu = models::text::parse_t5_config(config_of("{}").value_or_throw());
  ASSERT_TRUE(relu.ok());
  EXPECT_FALSE(relu->is_gated_act);
  EXPECT_EQ(relu->dense_act, ops::Activation::kReLU);
  // Stated dense_act_fn / is_gated_act win over the derived ones (transformers sets them last).
  auto stated = models::text::parse_t5_config(
      config_of(R"({"feed_forward_proj": "gated-gelu", "dense_act_fn": "relu", "is_gated_act": false})").value_or_throw());
  ASSERT_TRUE(stated.ok());
  EXPECT_FALSE(stated->is_gated_act);
  EXPECT_EQ(stated->dense_act, ops::Activation::kReLU);

  for (const char* bad : {R"({"feed_forward_proj": "relu-gelu"})", R"({"feed_forward_proj": "gated-gelu-x"})",
                          R"({"feed_forward_proj": "gated-frobnicate"})", R"({"d_model": 0})",
                          R"({"relative_attention_num_buckets": 32, "relative_attention_max_distance": 8})",
                          R"({"num_heads": "8"})"}) {
    auto r = models::text::parse_t5_config(config_of(bad).value_or_throw());
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().to_string().find("text_encoder/config.json"), std::string::npos) << r.error().to_string();
  }
}

TEST(TextEncoderConfig, ClipRejectsBadValuesNamingTheKey) {
  auto ok = models::text::parse_clip_text_config(config_of(R"({"hidden_act": "gelu", "eos_token_id": 49407})").value_or_throw());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->hidden_act, ops::Activation::kGELU);
  EXPECT_FALSE(ok->legacy_eos_pooling());
  for (const auto& [bad, key] : std::vector<std::pair<const char*, const char*>>{
           {R"({"hidden_size": 30, "num_attention_heads": 4})", "num_attention_heads"},
           {R"({"hidden_act": "sigmoidish"})", "hidden_act"},
           {R"({"num_hidden_layers": -1})", "num_hidden_layers"},
           {R"({"eos_token_id": [2, 3]})", "eos_token_id"}}) {
    auto r = models::text::parse_clip_text_config(config_of(bad).value_or_throw());
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().to_string().find(key), std::string::npos) << r.error().to_string();
  }
}

TEST(TextEncoderLoad, WrongArchitectureIsNotSupported) {
  const auto clip = test::text_encoder_case("clip_gelu_eos_token").folder;
  auto as_t5 = T5Encoder::load(clip, {});
  ASSERT_FALSE(as_t5.ok());
  EXPECT_EQ(as_t5.error().code(), ErrorCode::kNotSupported);
  EXPECT_NE(as_t5.error().to_string().find("CLIPTextModel"), std::string::npos) << as_t5.error().to_string();
  auto missing = ClipTextModel::load(test::text_encoder_data_dir() / "no_such_model", {});
  EXPECT_FALSE(missing.ok());
}

TEST(TextEncoderForward, BadInputsThrowNamingTheInput) {
  auto clip = ClipTextModel::load(test::text_encoder_case("clip_gelu_eos_token").folder, {});
  auto t5 = T5Encoder::load(test::text_encoder_case("t5_relu_original").folder, {});
  ASSERT_TRUE(clip.ok() && t5.ok());
  auto message = [](auto&& fn) -> std::string {
    try {
      fn();
    } catch (const ErrorException& e) {
      return e.error().to_string();
    }
    return "(no error)";
  };
  const Tensor ids = Tensor::from_vector_i64({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_NE(message([&] { (*clip)->forward(Tensor::from_vector({1, 2, 3}, {1, 3})); }).find("input_ids"), std::string::npos);
  EXPECT_NE(message([&] { (*t5)->forward(Tensor::from_vector_i64({1, 2, 3}, {3})); }).find("input_ids"), std::string::npos);
  EXPECT_NE(message([&] { (*t5)->forward(Tensor::from_vector_i64({1, 100}, {1, 2})); }).find("100"), std::string::npos);
  EXPECT_NE(message([&] { (*clip)->forward(ids, Tensor::from_vector_i64({1, 1, 1}, {1, 3})); }).find("attention_mask"),
            std::string::npos);
  const int64_t too_long = (*clip)->config().max_position_embeddings + 1;
  EXPECT_NE(message([&] { (*clip)->forward(Tensor::from_vector_i64(std::vector<int64_t>(too_long, 1), {1, too_long})); })
                .find("max_position_embeddings"),
            std::string::npos);
}

}  // namespace
}  // namespace dc
