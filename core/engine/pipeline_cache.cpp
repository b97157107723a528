#include "core/engine/pipeline_cache.h"

#include <algorithm>

namespace dc::engine {

PipelineCache::PipelineCache(pipeline::FluxPipelineOptions options, size_t capacity)
    : options_(options), capacity_(std::max<size_t>(capacity, 1)) {}

Result<pipeline::FluxPipeline*> PipelineCache::get(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(folder, ec);
  const std::string key = (ec ? folder : canonical).string();
  const auto hit = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
  if (hit != entries_.end()) {
    entries_.splice(entries_.begin(), entries_, hit);
    return entries_.front().pipe.get();
  }
  // Close before opening, so two models never hold memory at once.
  while (entries_.size() >= capacity_) entries_.pop_back();
  DC_TRY(std::unique_ptr<pipeline::FluxPipeline> pipe, pipeline::FluxPipeline::open(folder, options_));
  ++opened_;
  entries_.push_front({key, std::move(pipe)});
  return entries_.front().pipe.get();
}

}  // namespace dc::engine
