// FLUX weight fusion (core/models/flux/fused_weights.h): after load, the
// layers the model runs as one GEMM are stored once, as consecutive rows of the
// fused matrix, and every parameter still holds exactly its checkpoint tensor.
#include <gtest/gtest.h>

#include <map>

#include "core/io/diffusers/component_folder.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

using models::flux::FluxTransformer;

std::map<std::string, Tensor> parameters_by_key(const FluxTransformer& model) {
  std::map<std::string, Tensor> out;
  for (const nn::Parameter* p : model.parameters()) out[p->key()] = p->get();
  return out;
}

// `keys` are stored back to back in one allocation, in this order.
void expect_consecutive(const std::map<std::string, Tensor>& params, const std::vector<std::string>& keys) {
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    ASSERT_TRUE(params.count(keys[i]) && params.count(keys[i + 1])) << keys[i] << " / " << keys[i + 1];
    const Tensor& a = params.at(keys[i]);
    const Tensor& b = params.at(keys[i + 1]);
    EXPECT_EQ(a.storage(), b.storage()) << keys[i] << " and " << keys[i + 1] << " are stored separately";
    EXPECT_EQ(static_cast<const char*>(a.data_ptr()) + a.nbytes(), b.data_ptr())
        << keys[i + 1] << " does not follow " << keys[i];
  }
}

class FluxFusion : public ::testing::TestWithParam<std::string> {};

TEST_P(FluxFusion, FusedLayersAreStoredOnceAsConsecutiveRows) {
  auto model = FluxTransformer::load(test::flux_transformer_dir(GetParam()), {});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  const std::map<std::string, Tensor> params = parameters_by_key(**model);
  const models::flux::FluxConfig& c = (*model)->config();
  std::vector<std::string> modulation_weights, modulation_biases;
  auto add_modulation = [&](const std::string& prefix) {
    modulation_weights.push_back(prefix + ".linear.weight");
    modulation_biases.push_back(prefix + ".linear.bias");
  };
  for (int64_t i = 0; i < c.num_layers; ++i) {
    const std::string a = "transformer_blocks." + std::to_string(i) + ".attn.";
    for (const char* part : {"weight", "bias"}) {
      expect_consecutive(params, {a + "to_q." + part, a + "to_k." + part, a + "to_v." + part});
      expect_consecutive(params, {a + "add_q_proj." + part, a + "add_k_proj." + part, a + "add_v_proj." + part});
    }
    expect_consecutive(params, {a + "norm_q.weight", a + "norm_k.weight"});
    expect_consecutive(params, {a + "norm_added_q.weight", a + "norm_added_k.weight"});
    add_modulation("transformer_blocks." + std::to_string(i) + ".norm1");
    add_modulation("transformer_blocks." + std::to_string(i) + ".norm1_context");
  }
  for (int64_t i = 0; i < c.num_single_layers; ++i) {
    const std::string b = "single_transformer_blocks." + std::to_string(i) + ".";
    for (const char* part : {"weight", "bias"}) {
      expect_consecutive(params, {b + "attn.to_q." + part, b + "attn.to_k." + part, b + "attn.to_v." + part,
                                  b + "proj_mlp." + part});
    }
    expect_consecutive(params, {b + "attn.norm_q.weight", b + "attn.norm_k.weight"});
    add_modulation(b + "norm");
  }
  add_modulation("norm_out");
  expect_consecutive(params, modulation_weights);
  expect_consecutive(params, modulation_biases);
}

TEST_P(FluxFusion, EveryParameterStillHoldsItsCheckpointTensor) {
  auto component = open_component(test::flux_transformer_dir(GetParam()));
  ASSERT_TRUE(component.ok()) << component.error().to_string();
  for (DType dtype : {DType::kF32, DType::kBF16}) {
    auto model = FluxTransformer::load(test::flux_transformer_dir(GetParam()), {Device::cpu(), dtype});
    ASSERT_TRUE(model.ok()) << model.error().to_string();
    const std::map<std::string, Tensor> params = parameters_by_key(**model);
    ASSERT_FALSE(params.empty());
    for (const auto& [key, value] : params) {
      const Tensor want = ops::cast(component->weights.tensor(key).value_or_throw(), dtype);
      ASSERT_EQ(value.shape(), want.shape()) << key;
      EXPECT_EQ(ops::max_abs_diff(value, want), 0.0) << key << " (" << dtype_name(dtype) << ")";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, FluxFusion, ::testing::ValuesIn(test::flux_golden_cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dc
