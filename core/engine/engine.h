// core::Engine, the façade the app and dcgen talk to: jobs in, events out.
// One worker thread runs submitted jobs in order; pipelines are opened on first
// use and kept for the next job of the same model (pipeline_cache.h).
//
//   Engine engine({.pipeline = {Device::cuda(), DType::kBF16}}, {
//       .on_progress = [](JobId id, const GenerationProgress& p) { ... },
//       .on_finished = [](JobId id, Result<JobOutput> r) { ... },   // worker thread
//   });
//   JobId id = engine.submit(spec);
//   engine.cancel(id);       // stops at the next step; queued jobs never start
//   engine.wait_idle();
//
// The destructor cancels what is running and queued and joins the worker; every
// submitted job still gets its on_finished first, so whatever the callbacks use
// must outlive the Engine. Nothing the jobs throw escapes the worker: it becomes
// the job's Error.
#pragma once

#include <memory>

#include "core/engine/job.h"

namespace dc::engine {

struct EngineStats {
  size_t pipelines_opened = 0;  // FluxPipeline::open calls so far
  size_t jobs_finished = 0;     // on_finished calls so far
};

class Engine {
 public:
  explicit Engine(EngineOptions options, EngineEvents events = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  JobId submit(JobSpec spec);  // ids start at 1
  void cancel(JobId id);       // unknown or finished ids are ignored
  void cancel_all();
  void wait_idle();            // until every submitted job has finished
  EngineStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The error of a video job until the DC-VideoGen pipeline exists.
inline constexpr const char* kVideoNotImplemented =
    "video shots need the DC-VideoGen pipeline (not implemented yet)";

}  // namespace dc::engine
