// Fills a contiguous tensor with Philox-4x32-10 numbers: element i is a pure
// function of (seed, i), bit-identical to the CPU reference (definition in
// philox.h). Normal or uniform [0, 1), computed in f32, rounded once to dtype.
//
//   gpu::RandomParams r{out, gpu::DataType::kBF16, numel, seed, /*normal=*/true, stream};
//   std::string e = gpu::random_fill(r);
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "gpu/cuda/common/data_type.h"

namespace dc::gpu {

struct RandomParams {
  void* out = nullptr;
  DataType dtype = DataType::kF32;
  int64_t count = 0;
  uint64_t seed = 0;
  bool normal = true;
  cudaStream_t stream = nullptr;
};

std::string random_fill(const RandomParams& p);

}  // namespace dc::gpu
