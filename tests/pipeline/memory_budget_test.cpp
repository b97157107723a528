#include <gtest/gtest.h>

#include "core/pipeline/memory_budget.h"

namespace dc::pipeline {
namespace {

constexpr size_t kGiB = size_t{1} << 30, kMiB = size_t{1} << 20;

TEST(MemoryBudget, ParsesSizesWithBinaryUnits) {
  EXPECT_EQ(*parse_byte_size("24G"), 24 * kGiB);
  EXPECT_EQ(*parse_byte_size("16GiB"), 16 * kGiB);
  EXPECT_EQ(*parse_byte_size("16 gb"), 16 * kGiB);
  EXPECT_EQ(*parse_byte_size("800M"), 800 * kMiB);
  EXPECT_EQ(*parse_byte_size("1.5G"), kGiB + kGiB / 2);
  EXPECT_EQ(*parse_byte_size("4096"), 4096u);
  for (const char* bad : {"", "G", "-1G", "0", "1.2.3G", "12X", "lots", "0.1"}) {
    auto r = parse_byte_size(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) EXPECT_NE(r.error().message().find("memory size"), std::string::npos);
  }
}

TEST(MemoryBudget, KeepsEverythingResidentWhenItFits) {
  const std::vector<StageSize> stages = {{"text_encoder_2", 9 * kGiB, kGiB}, {"transformer", 23 * kGiB, 2 * kGiB},
                                         {"vae", kGiB, 4 * kGiB}};
  const ResidencyPlan big = plan_residency(stages, 80 * kGiB);
  EXPECT_TRUE(big.fits);
  EXPECT_TRUE(big.keep_all);
  EXPECT_EQ(big.peak_estimate, 33 * kGiB + 4 * kGiB);

  const ResidencyPlan mid = plan_residency(stages, 30 * kGiB);
  EXPECT_TRUE(mid.fits);
  EXPECT_FALSE(mid.keep_all);
  EXPECT_EQ(mid.peak_estimate, 25 * kGiB);
  EXPECT_NE(mid.explanation.find("one stage"), std::string::npos);

  const ResidencyPlan small = plan_residency(stages, 16 * kGiB);
  EXPECT_FALSE(small.fits);
  EXPECT_NE(small.explanation.find("transformer"), std::string::npos) << small.explanation;
}

}  // namespace
}  // namespace dc::pipeline
