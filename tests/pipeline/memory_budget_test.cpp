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

// FLUX.1 12B in bf16 from its config (C = 3072, 19 double + 38 single blocks):
// a double block holds 24 C² of weights outside its adaLN rows, a single block
// 12 C²; the adaLN rows of all blocks + norm_out (344 C²) stay resident with the
// embedders. 23.8 GB in all.
StageSize flux_12b_transformer(size_t working) {
  const size_t c2 = size_t{3072} * 3072, bf16 = 2;
  StageSize s{"transformer", 0, working};
  s.stream_slot = 24 * c2 * bf16;
  s.streamed_resident = 344 * c2 * bf16 + 40 * kMiB;  // + context/x embedders, time_text_embed, proj_out
  s.weights = s.streamed_resident + (19 * 24 + 38 * 12) * c2 * bf16;
  return s;
}

TEST(MemoryBudget, StreamsTheTransformerWhenOnlyItsBlocksDoNotFit) {
  const StageSize transformer = flux_12b_transformer(2 * kGiB);
  ASSERT_GT(transformer.weights, 22 * kGiB);  // the 12B model's 23.8 GB
  const std::vector<StageSize> stages = {{"text_encoder_2", 9 * kGiB, kGiB}, transformer, {"vae", kGiB, 4 * kGiB}};
  const size_t streamed = transformer.streamed_resident + 2 * transformer.stream_slot + transformer.working;
  const size_t resident = transformer.weights + transformer.working;
  ASSERT_LT(streamed, 16 * kGiB);
  ASSERT_GT(resident, 16 * kGiB);

  const ResidencyPlan plan = plan_residency(stages, 16 * kGiB);
  EXPECT_TRUE(plan.fits) << plan.explanation;
  EXPECT_FALSE(plan.keep_all);
  EXPECT_TRUE(plan.stream_blocks);
  EXPECT_EQ(plan.streamed_stage, "transformer");
  EXPECT_EQ(plan.peak_estimate, std::max<size_t>(streamed, 10 * kGiB));
  EXPECT_LE(plan.peak_estimate, plan.budget);
  const std::string want = "transformer streamed block by block: " +
                           std::to_string((transformer.streamed_resident + kMiB / 2) / kMiB) + " MiB resident + 2 x " +
                           std::to_string((transformer.stream_slot + kMiB / 2) / kMiB) + " MiB slots";
  EXPECT_EQ(plan.explanation.rfind(want, 0), 0u) << plan.explanation;

  // Resident when it fits: streaming is only for budgets the resident plan exceeds.
  const ResidencyPlan roomy = plan_residency(stages, 28 * kGiB);
  EXPECT_TRUE(roomy.fits);
  EXPECT_FALSE(roomy.stream_blocks);

  // Below the streamed working set: refused, saying what streaming would need.
  const ResidencyPlan tiny = plan_residency({transformer}, streamed - kMiB);
  EXPECT_FALSE(tiny.fits);
  EXPECT_FALSE(tiny.stream_blocks);
  EXPECT_NE(tiny.explanation.find("with its blocks streamed"), std::string::npos) << tiny.explanation;
}

// A stage that cannot stream (stream_slot 0) is refused as before.
TEST(MemoryBudget, AStageWithoutBlocksIsNeverStreamed) {
  StageSize vae{"vae", 20 * kGiB, kGiB};
  vae.streamed_resident = kGiB;  // ignored without a slot size
  const ResidencyPlan plan = plan_residency({vae}, 16 * kGiB);
  EXPECT_FALSE(plan.fits);
  EXPECT_FALSE(plan.stream_blocks);
}

}  // namespace
}  // namespace dc::pipeline
