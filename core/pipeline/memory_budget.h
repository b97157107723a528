// How much device memory a job may use, and which pipeline stages stay
// resident under that budget (ARCHITECTURE.md "Memory residency").
//
//   DC_TRY(size_t budget, parse_byte_size("16G"));
//   ResidencyPlan plan = plan_residency(stages, budget, reserve);
//   if (!plan.fits) return Error::out_of_memory(plan.explanation);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/io/safetensors/checkpoint.h"
#include "core/tensor/dtype.h"

namespace dc::pipeline {

// "24G", "16GiB", "24GB", "800M", "512MiB", "1.5G", plain bytes. Units are binary
// (G = 2^30) as GPU memory is. Zero, negative and malformed sizes are errors.
Result<size_t> parse_byte_size(std::string_view text);
std::string format_bytes(size_t bytes);  // "23.8 GiB"

// Bytes the weights of a checkpoint take once floating tensors are cast to `dtype`.
size_t weight_bytes(const Checkpoint& weights, DType dtype);

struct StageSize {
  std::string name;    // "text_encoder", "transformer", ...
  size_t weights = 0;  // resident weight bytes
  size_t working = 0;  // activations and workspace while it runs (an estimate)
  // Block streaming (nn::BlockStreamer), when the stage supports it (stream_slot > 0):
  // the weights that stay on the device and one block slot (two are held).
  size_t streamed_resident = 0;
  size_t stream_slot = 0;
  bool always_stream = false;  // stream even when it fits resident (a user's choice; tests)
};

// The device bytes of a stage whose blocks stream from host memory.
struct StreamedSize {
  size_t resident = 0;  // weights outside the blocks, plus block tensors named in resident_parts
  size_t slot = 0;      // the largest block (tensors 512-byte aligned, as the streamer lays them out)
};
// Checkpoint arithmetic (no tensor is read): tensors "<prefix>.<i>.*" of each
// prefix form block i of that stack; names containing one of `resident_parts`
// stay resident (FLUX's adaLN linears, fused across all blocks).
StreamedSize streamed_size(const Checkpoint& weights, DType dtype, const std::vector<std::string>& block_prefixes,
                           const std::vector<std::string>& resident_parts);

struct ResidencyPlan {
  bool fits = false;           // every stage can run within the budget
  bool keep_all = false;       // all weights stay resident between jobs
  size_t budget = 0;
  size_t peak_estimate = 0;    // the largest stage's weights + working set (or the sum when keep_all)
  bool stream_blocks = false;  // the stage `streamed_stage` runs with its blocks streamed from host memory
  std::string streamed_stage;
  std::string explanation;     // for logs and errors: what was chosen and why
};

// keep_all when the sum of all weights plus the largest working set fits;
// otherwise one stage at a time (load, run, free). A stage that does not fit
// resident but can stream, and whose streamed working set (resident weights +
// 2 slots + working) fits, is streamed (one stage at a time then); !fits when
// even that does not fit, naming the stage.
ResidencyPlan plan_residency(const std::vector<StageSize>& stages, size_t budget);

// The default budget: free device memory now, minus a safety margin for the
// driver, cuBLAS workspaces and fragmentation.
size_t default_device_budget();

// Host memory the system can give a job now without swapping (Linux MemAvailable);
// SIZE_MAX when it cannot be read.
size_t available_host_memory();

}  // namespace dc::pipeline
