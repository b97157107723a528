// Shared by the CPU and CUDA tests of FluxPipeline with the transformer streamed
// block by block (FluxPipelineOptions::stream_transformer_blocks).
#pragma once

#include "core/pipeline/flux_pipeline.h"

namespace dc::pipeline::test {

// Runs every golden case of the tiny pipeline twice, resident and streamed, on
// `device` with `budget` (0 = default), and expects bit-identical images; the
// streamed pipeline must say it streams. Returns the largest peak_device_bytes of
// the streamed runs.
size_t expect_streamed_pipeline_equals_resident(Device device, DType dtype, size_t budget);

}  // namespace dc::pipeline::test
