// Block streaming (nn::BlockStreamer) on the CPU: the blocks' weights live in a
// host store and are copied into two CPU "device" slots block by block, the same
// code path as on CUDA; the result must equal the resident forward bit for bit.
#include <gtest/gtest.h>

#include "core/io/diffusers/component_folder.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/pipeline/memory_budget.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

using models::flux::FluxInputs;
using models::flux::FluxTransformer;

class FluxStreamingCpu : public ::testing::TestWithParam<std::string> {};

void expect_streamed_equals_resident(const std::string& name, DType dtype) {
  const nn::LoadOptions options{Device::cpu(), dtype};
  auto resident = FluxTransformer::load(test::flux_transformer_dir(name), options);
  ASSERT_TRUE(resident.ok()) << resident.error().to_string();
  auto streamed = FluxTransformer::load_streamed(test::flux_transformer_dir(name), options);
  ASSERT_TRUE(streamed.ok()) << streamed.error().to_string();
  EXPECT_EQ((*resident)->block_streamer(), nullptr);
  const nn::BlockStreamer* s = (*streamed)->block_streamer();
  ASSERT_NE(s, nullptr);
  const models::flux::FluxConfig& c = (*streamed)->config();
  EXPECT_EQ(s->block_count(), static_cast<size_t>(c.num_layers + c.num_single_layers));
  EXPECT_GT(s->slot_bytes(), 0u);
  EXPECT_LE(s->slot_bytes() * s->block_count(), s->host_bytes() * 2);  // a slot holds one block, not all
  if (s->block_count() > 1) EXPECT_LT(s->slot_bytes(), s->host_bytes());

  const auto goldens = test::flux_goldens(name);
  const FluxInputs in = test::flux_golden_inputs(goldens);
  const Tensor expected = (*resident)->forward(in);
  // The resident model is right (diffusers' sample), so equality below means right.
  const double tol = dtype == DType::kF32 ? 1e-4 : test::flux_bf16_tolerance(name);
  EXPECT_LE(ops::relative_l2(ops::cast(expected, DType::kF32), goldens.at("sample")), tol);
  const Tensor first = (*streamed)->forward(in);
  const Tensor second = (*streamed)->forward(in);  // the slots are reused across passes
  EXPECT_EQ(first.dtype(), expected.dtype());
  EXPECT_EQ(ops::max_abs_diff(first, expected), 0.0);
  EXPECT_EQ(ops::max_abs_diff(second, expected), 0.0);
  // Not trivially equal: the output is a real, non-constant tensor.
  EXPECT_GT(ops::max_abs_diff(expected, ops::scale(expected, 0.5f)), 0.0);
}

TEST_P(FluxStreamingCpu, StreamedF32EqualsResidentExactly) { expect_streamed_equals_resident(GetParam(), DType::kF32); }
TEST_P(FluxStreamingCpu, StreamedBF16EqualsResidentExactly) {
  expect_streamed_equals_resident(GetParam(), DType::kBF16);
}

// The blocks' weights were moved into the first streamer's store: a second one is a bug.
TEST(FluxStreamingCpu, StreamingTwiceIsAProgrammerError) {
  const std::string name = test::flux_golden_cases().front();
  auto streamed = FluxTransformer::load_streamed(test::flux_transformer_dir(name), {});
  ASSERT_TRUE(streamed.ok()) << streamed.error().to_string();
  EXPECT_THROW((void)(*streamed)->stream_blocks(Device::cpu()), std::exception);  // DC_CHECK
}

// The planner's checkpoint arithmetic (pipeline::streamed_size, with the FLUX
// names FluxPipeline passes) agrees with what the streamer really moves: the
// adaLN rows stay resident, the slot is the largest block.
TEST_P(FluxStreamingCpu, PlannerArithmeticMatchesTheStreamer) {
  auto component = open_component(test::flux_transformer_dir(GetParam()));
  ASSERT_TRUE(component.ok()) << component.error().to_string();
  auto streamed = FluxTransformer::load_streamed(test::flux_transformer_dir(GetParam()), {Device::cpu(), DType::kBF16});
  ASSERT_TRUE(streamed.ok()) << streamed.error().to_string();
  const nn::BlockStreamer& s = *(*streamed)->block_streamer();
  const size_t all = pipeline::weight_bytes(component->weights, DType::kBF16);
  const pipeline::StreamedSize planned = pipeline::streamed_size(
      component->weights, DType::kBF16, {"transformer_blocks", "single_transformer_blocks"},
      {".norm1.linear.", ".norm1_context.linear.", ".norm.linear."});
  const size_t slack = 512 * 64;  // per-tensor vs per-fused-matrix 512-byte alignment
  EXPECT_GE(planned.slot, s.slot_bytes());
  EXPECT_LE(planned.slot, s.slot_bytes() + slack);
  ASSERT_LT(s.host_bytes(), all);
  EXPECT_GE(planned.resident + s.host_bytes(), all);
  EXPECT_LE(planned.resident + s.host_bytes(), all + slack * s.block_count());
  EXPECT_GT(planned.resident, 0u);
}

INSTANTIATE_TEST_SUITE_P(Cases, FluxStreamingCpu, ::testing::ValuesIn(test::flux_golden_cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dc
