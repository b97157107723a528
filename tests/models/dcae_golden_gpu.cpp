// DC-AE on CUDA against the diffusers goldens (ctest label gpu).
#include <gtest/gtest.h>

#include "core/tensor/cuda_context.h"
#include "tests/models/dcae_test_support.h"

namespace dc {
namespace {

class DCAEGoldenCuda : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  }
};

// f32 on CUDA (channels-last inside, the default there): no TF32 anywhere, so
// the f32 bound holds (rel L2 ≤ 1e-4).
TEST_P(DCAEGoldenCuda, F32MatchesDiffusers) {
  const test::DCAEParity p = test::run_dcae_golden(GetParam(), {Device::cuda(), DType::kF32});
  EXPECT_LE(p.encode_rel_l2, 1e-4);
  EXPECT_LE(p.decode_rel_l2, 1e-4);
  EXPECT_GE(p.encode_rel_l2, 0.0);
}

TEST_P(DCAEGoldenCuda, BF16WithinBF16Tolerance) {
  const test::DCAEParity p = test::run_dcae_golden(GetParam(), {Device::cuda(), DType::kBF16});
  const test::DCAETolerance tol = test::dcae_bf16_tolerance(GetParam());
  EXPECT_LE(p.encode_rel_l2, tol.encode);
  EXPECT_LE(p.decode_rel_l2, tol.decode);
  EXPECT_GE(p.decode_rel_l2, 0.0);
  std::printf("[%s] cuda bf16 rel-L2 encode %.2e decode %.2e\n", GetParam().c_str(), p.encode_rel_l2,
              p.decode_rel_l2);
}

// The NCHW path on CUDA (the default there is channels-last) stays correct too.
TEST_P(DCAEGoldenCuda, ContiguousF32MatchesDiffusers) {
  const test::DCAEParity p =
      test::run_dcae_golden(GetParam(), {Device::cuda(), DType::kF32}, models::dcae::MemoryFormat::kContiguous);
  EXPECT_LE(p.encode_rel_l2, 1e-4);
  EXPECT_LE(p.decode_rel_l2, 1e-4);
  EXPECT_GE(p.decode_rel_l2, 0.0);
}

INSTANTIATE_TEST_SUITE_P(Cases, DCAEGoldenCuda, ::testing::ValuesIn(test::dcae_golden_cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dc
