// What the engine is asked to do and what it reports back: plain structs with
// no Qt and no model types, shared by dcgen and the app (see engine.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/pipeline/flux_pipeline.h"
#include "core/pipeline/text_to_image.h"

namespace dc::engine {

using JobId = uint64_t;

enum class JobKind { kTextToImage, kTextToVideo };

using LoRASpec = dc::LoRASpec;  // file, strength (core/io/lora/lora_spec.h)

struct JobSpec {
  JobKind kind = JobKind::kTextToImage;
  std::filesystem::path model_folder;  // a pipeline folder (model_index.json)
  pipeline::TextToImageRequest request;  // prompt, seed, steps, size... (video jobs too)
  int frames = 0;                        // kTextToVideo
  double fps = 0;                        // kTextToVideo
  std::vector<LoRASpec> loras;  // merged after request.loras, for this job
  std::string label;  // for logs and UIs, e.g. the shot id
};

struct JobOutput {
  pipeline::TextToImageResult image;  // images [batch, 3, H, W] f32 CPU in [-1, 1], seeds, timings
  pipeline::FluxPipelineInfo model;   // the pipeline that made it
};

// Called on the engine's worker thread, in order for each job: on_started, then
// any on_progress / on_preview / on_warning, then exactly one on_finished. A job
// cancelled before it started gets on_finished alone (Error::cancelled).
// Callbacks must not block for long and may call back only cancel()/cancel_all().
struct EngineEvents {
  std::function<void(JobId)> on_started;
  std::function<void(JobId, const pipeline::GenerationProgress&)> on_progress;
  std::function<void(JobId, int step, const Tensor& preview)> on_preview;  // [batch, 3, h, w] f32 CPU
  std::function<void(JobId, const std::string& warning)> on_warning;
  std::function<void(JobId, Result<JobOutput>)> on_finished;
};

struct EngineOptions {
  pipeline::FluxPipelineOptions pipeline;  // device, dtype, memory budget of every job
  // Pipelines kept open between jobs (least recently used closed first). One by
  // default: on a GPU two resident pipelines rarely fit. Order jobs by model.
  size_t open_pipelines = 1;
};

}  // namespace dc::engine
