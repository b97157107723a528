// DC-AE against diffusers' AutoencoderDC on tiny random-weight checkpoints
// (tests/reference/make_dcae_goldens.py), on the CPU.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/diffusers/config_reader.h"
#include "core/nn/module.h"
#include "tests/common/test_util.h"
#include "tests/models/dcae_test_support.h"

namespace dc {
namespace {

class DCAEGoldenCpu : public ::testing::TestWithParam<std::string> {};

// f32: tolerance from DEVELOPERS.md (rel L2 ≤ 1e-4 against the f32 reference).
TEST_P(DCAEGoldenCpu, F32MatchesDiffusers) {
  const test::DCAEParity p = test::run_dcae_golden(GetParam(), {Device::cpu(), DType::kF32});
  EXPECT_LE(p.encode_rel_l2, 1e-4);
  EXPECT_LE(p.decode_rel_l2, 1e-4);
  EXPECT_GE(p.encode_rel_l2, 0.0);
  RecordProperty("encode_rel_l2", std::to_string(p.encode_rel_l2));
}

// bf16 weights and activations against the f32 golden: ≤ 2e-2 (DEVELOPERS.md), or
// twice diffusers' own bf16 error where the case is harder than that.
TEST_P(DCAEGoldenCpu, BF16WithinBF16Tolerance) {
  const test::DCAEParity p = test::run_dcae_golden(GetParam(), {Device::cpu(), DType::kBF16});
  const test::DCAETolerance tol = test::dcae_bf16_tolerance(GetParam());
  EXPECT_LE(p.encode_rel_l2, tol.encode);
  EXPECT_LE(p.decode_rel_l2, tol.decode);
  EXPECT_GE(p.decode_rel_l2, 0.0);
  std::printf("[%s] bf16 rel-L2 encode %.2e decode %.2e\n", GetParam().c_str(), p.encode_rel_l2, p.decode_rel_l2);
}

// The network run in channels-last memory (the CUDA default) on the CPU reference:
// same goldens, same bounds.
TEST_P(DCAEGoldenCpu, ChannelsLastF32MatchesDiffusers) {
  const test::DCAEParity p =
      test::run_dcae_golden(GetParam(), {Device::cpu(), DType::kF32}, models::dcae::MemoryFormat::kChannelsLast);
  EXPECT_LE(p.encode_rel_l2, 1e-4);
  EXPECT_LE(p.decode_rel_l2, 1e-4);
  EXPECT_GE(p.decode_rel_l2, 0.0);
}

TEST_P(DCAEGoldenCpu, ChannelsLastBF16WithinBF16Tolerance) {
  const test::DCAEParity p =
      test::run_dcae_golden(GetParam(), {Device::cpu(), DType::kBF16}, models::dcae::MemoryFormat::kChannelsLast);
  const test::DCAETolerance tol = test::dcae_bf16_tolerance(GetParam());
  EXPECT_LE(p.encode_rel_l2, tol.encode);
  EXPECT_LE(p.decode_rel_l2, tol.decode);
  EXPECT_GE(p.decode_rel_l2, 0.0);
  std::printf("[%s] channels-last bf16 rel-L2 encode %.2e decode %.2e\n", GetParam().c_str(), p.encode_rel_l2,
              p.decode_rel_l2);
}

INSTANTIATE_TEST_SUITE_P(Cases, DCAEGoldenCpu, ::testing::ValuesIn(test::dcae_golden_cases()),
                         [](const auto& info) { return info.param; });

// The published variants' real config.json: our module tree must declare exactly
// diffusers' state-dict keys with the same shapes (read from params.json).
class DCAEPublishedLayout : public ::testing::TestWithParam<std::string> {};

TEST_P(DCAEPublishedLayout, BindsExactlyTheDiffusersKeys) {
  const auto dir = test::data_dir() / "dcae" / "published" / GetParam();
  auto reader = ConfigReader::from_file(dir / "config.json");
  ASSERT_TRUE(reader.ok()) << reader.error().to_string();
  auto config = models::dcae::parse_dcae_config(*reader);
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  models::dcae::AutoencoderDC model(*config);
  std::ifstream in(dir / "params.json");
  const nlohmann::json expected = nlohmann::json::parse(in);
  std::map<std::string, Shape> ours;
  int64_t count = 0;
  for (const nn::Parameter* p : model.parameters()) {
    ours[p->key()] = p->expected_shape();
    if (p->key().find("num_batches_tracked") == std::string::npos) count += shape_numel(p->expected_shape());
  }
  std::map<std::string, Shape> theirs;
  int64_t buffers = 0;
  for (const auto& [key, shape] : expected.at("tensors").items()) {
    theirs[key] = shape.get<Shape>();
    if (key.find("running_") != std::string::npos) buffers += shape_numel(theirs[key]);
  }
  EXPECT_EQ(ours, theirs);
  // num_parameters counts learnable parameters only (BatchNorm running stats are buffers).
  EXPECT_EQ(count - buffers, expected.at("num_parameters").get<int64_t>());
}

INSTANTIATE_TEST_SUITE_P(Variants, DCAEPublishedLayout,
                         ::testing::Values("dc-ae-f32c32-sana-1.0", "dc-ae-f32c32-sana-1.1", "dc-ae-f32c32-in-1.0",
                                           "dc-ae-f64c128-in-1.0", "dc-ae-f128c512-in-1.0", "dc-ae-f32c32-mix-1.0",
                                           "dc-ae-f64c128-mix-1.0", "dc-ae-f128c512-mix-1.0"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-' || c == '.') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace dc
