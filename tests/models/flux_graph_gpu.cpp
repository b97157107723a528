// A FLUX step captured into a CUDA graph (ctest label gpu), following the recipe
// in core/models/flux/flux_transformer.h: forward() must not synchronize, read
// device memory on the host or need a new allocation once warm, so the capture
// succeeds, and a replay gives the eager result, also after new timestep and
// guidance values are written into the captured input buffers.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <memory>

#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "gpu/cuda/common/runtime.h"
#include "tests/models/flux_test_support.h"

namespace dc {
namespace {

using models::flux::FluxInputs;
using models::flux::FluxTransformer;

struct GraphDeleter {
  void operator()(CUgraph_st* g) const { cudaGraphDestroy(g); }
};
struct GraphExecDeleter {
  void operator()(CUgraphExec_st* e) const { cudaGraphExecDestroy(e); }
};

Tensor on_device(const Tensor& t, DType dtype) {
  return ops::contiguous(ops::to_device(ops::cast(t, dtype), Device::cuda()));
}

TEST(FluxCudaGraph, CapturedStepReplaysTheEagerResult) {
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device";
  const std::string name = "dcgen_c32_guidance";  // batch 2, guidance embedder
  auto model = FluxTransformer::load(test::flux_transformer_dir(name), {Device::cuda(), DType::kBF16});
  ASSERT_TRUE(model.ok()) << model.error().to_string();
  const auto g = test::flux_goldens(name);
  const FluxInputs golden = test::flux_golden_inputs(g);
  auto rope = (*model)->prepare_rope(golden.img_ids, golden.txt_ids);
  ASSERT_TRUE(rope.ok()) << rope.error().to_string();
  ASSERT_TRUE(cuda_synchronize().ok());  // weights and rope were uploaded on this thread's default stream

  gpu::Stream stream;
  CudaStreamGuard guard(stream.get());
  FluxInputs in;  // static device buffers, as a captured denoising loop keeps them
  in.hidden_states = on_device(golden.hidden_states, DType::kBF16);
  in.encoder_hidden_states = on_device(golden.encoder_hidden_states, DType::kBF16);
  in.pooled_projections = on_device(golden.pooled_projections, DType::kBF16);
  in.timestep = on_device(golden.timestep, DType::kF32);
  in.guidance = on_device(golden.guidance, DType::kF32);
  in.rope = &*rope;
  const Tensor eager = ops::clone((*model)->forward(in));  // warms the allocator and cuBLASLt
  ASSERT_TRUE(cuda_synchronize().ok());

  cudaGraph_t raw_graph = nullptr;
  ASSERT_EQ(cudaStreamBeginCapture(stream.get(), cudaStreamCaptureModeThreadLocal), cudaSuccess);
  Result<Tensor> captured = catch_errors([&] { return (*model)->forward(in); });
  const cudaError_t ended = cudaStreamEndCapture(stream.get(), &raw_graph);
  std::unique_ptr<CUgraph_st, GraphDeleter> graph(raw_graph);
  ASSERT_TRUE(captured.ok()) << "forward() during capture: " << captured.error().to_string();
  ASSERT_EQ(ended, cudaSuccess) << cudaGetErrorString(ended);
  cudaGraphExec_t raw_exec = nullptr;
  ASSERT_EQ(cudaGraphInstantiate(&raw_exec, graph.get(), 0), cudaSuccess);
  std::unique_ptr<CUgraphExec_st, GraphExecDeleter> exec(raw_exec);

  ops::fill_(*captured, 0.0f);  // the replay must write the output
  ASSERT_EQ(cudaGraphLaunch(exec.get(), stream.get()), cudaSuccess);
  ASSERT_TRUE(cuda_synchronize().ok());
  EXPECT_EQ(ops::max_abs_diff(*captured, eager), 0.0);

  // New sigma and guidance written into the captured buffers (stream-ordered);
  // the eager reference for them is kept on the host, since device tensors made
  // between replays may share memory with the graph's scratch.
  FluxInputs fresh = in;
  fresh.timestep = on_device(Tensor::from_vector({0.31f, 0.9f}, {2}), DType::kF32);
  fresh.guidance = on_device(Tensor::from_vector({2.5f, 6.0f}, {2}), DType::kF32);
  const Tensor eager_fresh = ops::to_device((*model)->forward(fresh), Device::cpu());
  ops::copy_(in.timestep, fresh.timestep);
  ops::copy_(in.guidance, fresh.guidance);
  ASSERT_EQ(cudaGraphLaunch(exec.get(), stream.get()), cudaSuccess);
  ASSERT_TRUE(cuda_synchronize().ok());
  const Tensor replayed = ops::to_device(*captured, Device::cpu());
  EXPECT_EQ(ops::max_abs_diff(replayed, eager_fresh), 0.0);
  EXPECT_GT(ops::max_abs_diff(eager_fresh, ops::to_device(eager, Device::cpu())), 0.0);  // the timestep matters
}

}  // namespace
}  // namespace dc
