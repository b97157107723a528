#include "core/engine/engine.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "core/base/log.h"
#include "core/engine/pipeline_cache.h"

namespace dc::engine {
namespace {

struct QueuedJob {
  JobId id = 0;
  JobSpec spec;
  CancellationToken cancel;
};

}  // namespace

struct Engine::Impl {
  explicit Impl(EngineOptions options, EngineEvents ev)
      : events(std::move(ev)), cache(options.pipeline, options.open_pipelines) {
    worker = std::thread([this] { run_worker(); });
  }

  void run_worker();
  Result<JobOutput> execute(const QueuedJob& job);
  Result<JobOutput> execute_guarded(const QueuedJob& job);

  // Calls an event callback; a throwing callback is logged, never propagated.
  template <class Fn, class... Args>
  void emit(const Fn& fn, Args&&... args) {
    if (!fn) return;
    try {
      fn(std::forward<Args>(args)...);
    } catch (const std::exception& e) {
      log(LogLevel::kError, std::string("engine: an event callback threw: ") + e.what());
    } catch (...) {
      log(LogLevel::kError, "engine: an event callback threw");
    }
  }

  const EngineEvents events;
  PipelineCache cache;  // worker thread only

  mutable std::mutex mutex;
  std::condition_variable work_ready, idle;
  std::deque<QueuedJob> queue;
  std::optional<QueuedJob> running;  // its spec is not read outside the worker
  JobId next_id = 1;
  bool stopping = false;
  EngineStats stats;
  std::thread worker;
};

void Engine::Impl::run_worker() {
  for (;;) {
    QueuedJob job;
    {
      std::unique_lock lock(mutex);
      work_ready.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and every job has been reported
      job = std::move(queue.front());
      queue.pop_front();
      running = QueuedJob{job.id, {}, job.cancel};
    }
    Result<JobOutput> result = Error::cancelled("job " + std::to_string(job.id) + " was cancelled before it started");
    if (!job.cancel.cancelled()) {
      emit(events.on_started, job.id);
      result = execute_guarded(job);
    }
    emit(events.on_finished, job.id, std::move(result));
    {
      std::lock_guard lock(mutex);
      running.reset();
      ++stats.jobs_finished;
      stats.pipelines_opened = cache.opened();
    }
    idle.notify_all();
  }
}

Result<JobOutput> Engine::Impl::execute_guarded(const QueuedJob& job) {
  try {
    return execute(job);
  } catch (const ErrorException& e) {
    return e.error();
  } catch (const std::bad_alloc&) {
    return Error::out_of_memory("host memory allocation failed");
  } catch (const std::exception& e) {
    return Error::internal(e.what());
  }
}

Result<JobOutput> Engine::Impl::execute(const QueuedJob& job) {
  const JobSpec& spec = job.spec;
  if (spec.kind == JobKind::kTextToVideo) return Error::not_supported(kVideoNotImplemented);
  emit(events.on_progress, job.id, pipeline::GenerationProgress{pipeline::GenerationPhase::kLoading, 0, 0, 0});
  DC_TRY(pipeline::FluxPipeline* pipe, cache.get(spec.model_folder));
  {
    std::lock_guard lock(mutex);
    stats.pipelines_opened = cache.opened();
  }
  pipeline::GenerationEvents ev;
  ev.cancel = job.cancel;
  const JobId id = job.id;
  if (events.on_progress) ev.on_progress = [&](const pipeline::GenerationProgress& p) { emit(events.on_progress, id, p); };
  if (events.on_preview) ev.on_preview = [&](int step, const Tensor& t) { emit(events.on_preview, id, step, t); };
  if (events.on_warning) ev.on_warning = [&](const std::string& w) { emit(events.on_warning, id, w); };
  pipeline::TextToImageRequest request = spec.request;
  request.loras.insert(request.loras.end(), spec.loras.begin(), spec.loras.end());
  DC_TRY(pipeline::TextToImageResult image, pipe->generate(request, ev));
  return JobOutput{std::move(image), pipe->info()};
}

Engine::Engine(EngineOptions options, EngineEvents events)
    : impl_(std::make_unique<Impl>(options, std::move(events))) {}

Engine::~Engine() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    for (QueuedJob& q : impl_->queue) q.cancel.cancel();
    if (impl_->running) impl_->running->cancel.cancel();
  }
  impl_->work_ready.notify_all();
  impl_->worker.join();
}

JobId Engine::submit(JobSpec spec) {
  JobId id;
  {
    std::lock_guard lock(impl_->mutex);
    id = impl_->next_id++;
    impl_->queue.push_back({id, std::move(spec), CancellationToken()});
  }
  impl_->work_ready.notify_one();
  return id;
}

void Engine::cancel(JobId id) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->running && impl_->running->id == id) impl_->running->cancel.cancel();
  for (QueuedJob& q : impl_->queue)
    if (q.id == id) q.cancel.cancel();
}

void Engine::cancel_all() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->running) impl_->running->cancel.cancel();
  for (QueuedJob& q : impl_->queue) q.cancel.cancel();
}

void Engine::wait_idle() {
  std::unique_lock lock(impl_->mutex);
  impl_->idle.wait(lock, [&] { return impl_->queue.empty() && !impl_->running; });
}

EngineStats Engine::stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stats;
}

}  // namespace dc::engine
