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
};

struct ResidencyPlan {
  bool fits = false;           // every stage can run within the budget
  bool keep_all = false;       // all weights stay resident between jobs
  size_t budget = 0;
  size_t peak_estimate = 0;    // the largest stage's weights + working set (or the sum when keep_all)
  std::string explanation;     // for logs and errors: what was chosen and why
};

// keep_all when the sum of all weights plus the largest working set fits;
// otherwise one stage at a time (load, run, free); !fits when even one stage
// does not fit, naming it.
ResidencyPlan plan_residency(const std::vector<StageSize>& stages, size_t budget);

// The default budget: free device memory now, minus a safety margin for the
// driver, cuBLAS workspaces and fragmentation.
size_t default_device_budget();

}  // namespace dc::pipeline
