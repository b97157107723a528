// Open pipelines kept between jobs, so a project's shots load their model once.
// Keyed by the folder's canonical path; the least recently used pipeline is
// closed before a new one opens when the cache is full. Used by the engine's
// worker thread only (not thread-safe).
#pragma once

#include <cstddef>
#include <filesystem>
#include <list>
#include <memory>
#include <string>

#include "core/base/result.h"
#include "core/pipeline/flux_pipeline.h"

namespace dc::engine {

class PipelineCache {
 public:
  PipelineCache(pipeline::FluxPipelineOptions options, size_t capacity);

  // The open pipeline for `folder`, opening it if needed (FluxPipeline::open's errors).
  // The pointer stays valid until the next get().
  Result<pipeline::FluxPipeline*> get(const std::filesystem::path& folder);

  size_t opened() const { return opened_; }  // FluxPipeline::open calls that succeeded
  void clear() { entries_.clear(); }

 private:
  struct Entry {
    std::string key;
    std::unique_ptr<pipeline::FluxPipeline> pipe;
  };
  pipeline::FluxPipelineOptions options_;
  size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  size_t opened_ = 0;
};

}  // namespace dc::engine
