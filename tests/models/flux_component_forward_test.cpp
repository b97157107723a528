// `dcgen forward` contract for FluxTransformer2DModel (pipeline::run_component):
// named inputs -> "sample", taps on request, errors naming the bad input.
#include <gtest/gtest.h>

#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "core/pipeline/component_forward.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

pipeline::NamedTensors golden_inputs(const std::map<std::string, Tensor>& g) {
  pipeline::NamedTensors in;
  for (const char* name :
       {"hidden_states", "encoder_hidden_states", "pooled_projections", "timestep", "img_ids", "txt_ids", "guidance"}) {
    if (g.count(name)) in[name] = g.at(name);
  }
  return in;
}

TEST(FluxComponentForward, SampleMatchesDiffusersAndTapsAreDumped) {
  for (const std::string& name : test::flux_golden_cases()) {
    const auto g = test::flux_goldens(name);
    pipeline::ForwardOptions options;
    options.dump_taps = true;
    auto out = pipeline::run_component(test::flux_transformer_dir(name), golden_inputs(g), options);
    ASSERT_TRUE(out.ok()) << name << ": " << out.error().to_string();
    ASSERT_TRUE(out->count("sample")) << name;
    const Tensor& sample = out->at("sample");
    EXPECT_EQ(sample.dtype(), DType::kF32);
    EXPECT_LE(ops::relative_l2(sample, g.at("sample")), 1e-4) << name;
    // Every block output diffusers recorded is dumped under the same name.
    for (const auto& [key, golden] : g) {
      if (key.rfind("tap:", 0) != 0) continue;
      ASSERT_TRUE(out->count(key)) << name << ": no " << key;
      EXPECT_LE(ops::relative_l2(out->at(key), golden), 1e-4) << name << " " << key;
    }
  }
}

TEST(FluxComponentForward, Bf16RunStaysWithinBf16Tolerance) {
  const std::string name = "dcgen_c32_guidance";
  const auto g = test::flux_goldens(name);
  pipeline::ForwardOptions options;
  options.load.dtype = DType::kBF16;
  auto out = pipeline::run_component(test::flux_transformer_dir(name), golden_inputs(g), options);
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  EXPECT_LE(ops::relative_l2(out->at("sample"), g.at("sample")), test::flux_bf16_tolerance(name));
}

TEST(FluxComponentForward, MissingOrBadInputsAreErrorsNamingTheInput) {
  const std::string name = "dcgen_c32_guidance";
  const auto g = test::flux_goldens(name);
  const auto dir = test::flux_transformer_dir(name);
  for (const char* missing :
       {"hidden_states", "encoder_hidden_states", "pooled_projections", "timestep", "img_ids", "txt_ids", "guidance"}) {
    pipeline::NamedTensors in = golden_inputs(g);
    in.erase(missing);
    auto out = pipeline::run_component(dir, in, {});
    ASSERT_FALSE(out.ok()) << "accepted inputs without " << missing;
    EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(out.error().message().find(std::string("'") + missing + "'"), std::string::npos)
        << out.error().to_string();
  }
  const std::pair<const char*, Tensor> bad[] = {
      {"hidden_states", ops::zeros({2, 24, 64}, DType::kF32)},
      {"encoder_hidden_states", ops::zeros({2, 5}, DType::kF32)},
      {"pooled_projections", Tensor::from_vector_i64(std::vector<int64_t>(32, 0), {2, 16})},
      {"timestep", ops::zeros({2, 1}, DType::kF32)},
      {"img_ids", ops::zeros({25, 3}, DType::kF32)},
      {"txt_ids", ops::zeros({5, 4}, DType::kF32)},
      {"guidance", ops::zeros({5}, DType::kF32)},
  };
  for (const auto& [input, value] : bad) {
    pipeline::NamedTensors in = golden_inputs(g);
    in[input] = value;
    auto out = pipeline::run_component(dir, in, {});
    ASSERT_FALSE(out.ok()) << "accepted bad " << input;
    EXPECT_EQ(out.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(out.error().message().find(std::string("'") + input + "'"), std::string::npos) << out.error().to_string();
  }
}

TEST(FluxComponentForward, GuidanceForANonGuidanceModelIsAnError) {
  const std::string name = "c64_out48_no_guidance_sharded";
  pipeline::NamedTensors in = golden_inputs(test::flux_goldens(name));
  ASSERT_TRUE(pipeline::run_component(test::flux_transformer_dir(name), in, {}).ok());
  in["guidance"] = ops::full({2}, 3.5f, DType::kF32);
  auto out = pipeline::run_component(test::flux_transformer_dir(name), in, {});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message().find("'guidance'"), std::string::npos) << out.error().to_string();
}

TEST(FluxComponentForward, IsListedAsSupported) {
  const auto classes = pipeline::supported_component_classes();
  EXPECT_NE(std::find(classes.begin(), classes.end(), "FluxTransformer2DModel"), classes.end());
}

}  // namespace
}  // namespace dc
