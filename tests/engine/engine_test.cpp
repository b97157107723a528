// core::Engine on the tiny DC-Gen-FLUX pipeline: jobs run in order on the worker,
// events arrive in order, pipelines open once, failures and cancels are per job.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <vector>

#include "core/engine/engine.h"
#include "core/engine/shot_job.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"

namespace dc::engine {
namespace {

namespace fs = std::filesystem;

const fs::path kTiny = test::data_dir() / "flux_pipeline" / "tiny-dcgen-flux";

JobSpec tiny_job(uint64_t seed, int steps = 2) {
  JobSpec spec;
  spec.model_folder = kTiny;
  spec.request.prompt = "a red cube";
  spec.request.seed = seed;
  spec.request.steps = steps;
  spec.request.width = 32;
  spec.request.height = 32;
  return spec;
}

// Everything the engine reported, in arrival order.
struct Recorder {
  EngineEvents events() {
    EngineEvents e;
    e.on_started = [this](JobId id) { add(id, "started"); };
    e.on_progress = [this](JobId id, const pipeline::GenerationProgress& p) {
      std::lock_guard lock(mutex);
      if (p.phase == pipeline::GenerationPhase::kDenoising && p.step > 0) log.emplace_back(id, "step");
    };
    e.on_finished = [this](JobId id, Result<JobOutput> r) {
      std::lock_guard lock(mutex);
      log.emplace_back(id, r ? "ok" : "error");
      results.emplace(id, std::move(r));
    };
    return e;
  }
  void add(JobId id, const char* what) {
    std::lock_guard lock(mutex);
    log.emplace_back(id, what);
  }
  std::vector<std::string> of(JobId id) {
    std::lock_guard lock(mutex);
    std::vector<std::string> out;
    for (const auto& [i, what] : log)
      if (i == id) out.push_back(what);
    return out;
  }
  std::mutex mutex;
  std::vector<std::pair<JobId, std::string>> log;
  std::map<JobId, Result<JobOutput>> results;
};

TEST(Engine, RunsJobsInOrderAndOpensThePipelineOnce) {
  Recorder rec;
  Engine engine({}, rec.events());
  const JobId a = engine.submit(tiny_job(1));
  const JobId b = engine.submit(tiny_job(2));
  const JobId c = engine.submit(tiny_job(1));
  EXPECT_EQ(a, 1u);
  engine.wait_idle();
  EXPECT_EQ(engine.stats().pipelines_opened, 1u);
  EXPECT_EQ(engine.stats().jobs_finished, 3u);
  for (JobId id : {a, b, c}) {
    EXPECT_EQ(rec.of(id), (std::vector<std::string>{"started", "step", "step", "ok"})) << "job " << id;
  }
  // Finished in submission order.
  std::vector<JobId> finished;
  for (const auto& [id, what] : rec.log)
    if (what == "ok") finished.push_back(id);
  EXPECT_EQ(finished, (std::vector<JobId>{a, b, c}));
  const Tensor& ia = rec.results.at(a)->image.images;
  EXPECT_EQ(ia.shape(), (Shape{1, 3, 32, 32}));
  test::expect_non_constant(ia);
  EXPECT_EQ(rec.results.at(a)->model.name, "tiny-dcgen-flux");
  EXPECT_EQ(ops::relative_l2(ia, rec.results.at(c)->image.images), 0.0);  // same seed, same pixels
  EXPECT_GT(ops::relative_l2(ia, rec.results.at(b)->image.images), 0.01);
}

TEST(Engine, AFailedJobDoesNotStopTheNext) {
  test::TempDir tmp;
  Recorder rec;
  Engine engine({}, rec.events());
  JobSpec video = tiny_job(1);
  video.kind = JobKind::kTextToVideo;
  video.frames = 9;
  video.fps = 8;
  JobSpec lora = tiny_job(1);
  lora.loras.push_back({"style.safetensors", 0.8});
  JobSpec missing = tiny_job(1);
  missing.model_folder = tmp / "no-model";
  JobSpec bad_size = tiny_job(1);
  bad_size.request.width = 30;
  const JobId v = engine.submit(video), l = engine.submit(lora), m = engine.submit(missing),
              s = engine.submit(bad_size), ok = engine.submit(tiny_job(3));
  engine.wait_idle();
  EXPECT_EQ(rec.results.at(v).error().code(), ErrorCode::kNotSupported);
  EXPECT_EQ(rec.results.at(v).error().message(), kVideoNotImplemented);
  EXPECT_EQ(rec.results.at(l).error().code(), ErrorCode::kNotFound);  // no such LoRA file
  EXPECT_NE(rec.results.at(l).error().message().find("style.safetensors"), std::string::npos);
  EXPECT_FALSE(rec.results.at(m));
  EXPECT_NE(rec.results.at(m).error().to_string().find("no-model"), std::string::npos)
      << rec.results.at(m).error().to_string();
  EXPECT_FALSE(rec.results.at(s));
  EXPECT_TRUE(rec.results.at(ok)) << rec.results.at(ok).error().to_string();
}

TEST(Engine, CancelStopsTheRunningJobAndQueuedOnesNeverStart) {
  Recorder rec;
  EngineEvents ev = rec.events();
  Engine* engine_ptr = nullptr;
  JobId slow = 0;
  // Cancel the slow job from its own progress callback once denoising is under way.
  ev.on_progress = [&](JobId id, const pipeline::GenerationProgress& p) {
    if (id == slow && p.phase == pipeline::GenerationPhase::kDenoising && p.step == 3) engine_ptr->cancel(id);
  };
  Engine engine({}, ev);
  engine_ptr = &engine;
  const JobId queued_before = engine.submit(tiny_job(1, 400));
  engine.cancel(queued_before);  // may or may not have started: either way it ends cancelled
  slow = engine.submit(tiny_job(2, 400));
  const JobId after = engine.submit(tiny_job(3));
  engine.wait_idle();
  EXPECT_EQ(rec.results.at(queued_before).error().code(), ErrorCode::kCancelled);
  EXPECT_EQ(rec.results.at(slow).error().code(), ErrorCode::kCancelled);
  EXPECT_TRUE(rec.results.at(after));
}

TEST(Engine, DestroyingItReportsEveryJob) {
  Recorder rec;
  {
    Engine engine({}, rec.events());
    for (int i = 0; i < 4; ++i) engine.submit(tiny_job(static_cast<uint64_t>(i), 400));
  }
  ASSERT_EQ(rec.results.size(), 4u);
  for (const auto& [id, r] : rec.results) {
    ASSERT_FALSE(r) << "job " << id;
    EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
  }
}

TEST(Engine, AThrowingCallbackDoesNotKillTheWorker) {
  EngineEvents ev;
  int finished = 0;
  ev.on_started = [](JobId) { throw std::runtime_error("ui bug"); };
  ev.on_finished = [&](JobId, Result<JobOutput> r) {
    EXPECT_TRUE(r);
    ++finished;
  };
  Engine engine({}, ev);
  engine.submit(tiny_job(1));
  engine.submit(tiny_job(2));
  engine.wait_idle();
  EXPECT_EQ(finished, 2);
}

TEST(ShotJob, MapsAShotOntoAJob) {
  project::Project p;
  p.models = {{"m", "../models/tiny", ""}};
  project::Shot s;
  s.id = "x";
  s.model = "m";
  s.prompt = "p";
  s.negative_prompt = "n";
  s.true_cfg_scale = 4;
  s.guidance = 2.5;
  s.seed = 11;
  s.steps = 6;
  s.width = 64;
  s.height = 32;
  s.schedule = "flux2";
  s.loras = {{"l.safetensors", 0.5}};
  p.shots = {s};
  auto job = job_for_shot(p, s, "/films/a/film.dcproj");
  ASSERT_TRUE(job) << job.error().to_string();
  EXPECT_EQ(job->kind, JobKind::kTextToImage);
  EXPECT_EQ(job->model_folder, fs::path("/films/models/tiny"));
  EXPECT_EQ(job->label, "x");
  EXPECT_EQ(job->request.prompt, "p");
  EXPECT_EQ(job->request.negative_prompt, "n");
  EXPECT_EQ(job->request.true_cfg_scale, 4.0f);
  EXPECT_EQ(job->request.guidance, 2.5f);
  EXPECT_EQ(job->request.seed, 11u);
  EXPECT_EQ(job->request.steps, 6);
  EXPECT_EQ(job->request.width, 64);
  EXPECT_EQ(job->request.height, 32);
  EXPECT_EQ(job->request.batch, 1);
  EXPECT_EQ(job->request.shift, pipeline::SigmaShift::kFlux2);
  ASSERT_EQ(job->loras.size(), 1u);
  EXPECT_EQ(job->loras[0].file, fs::path("/films/a/l.safetensors"));
  p.shots[0].type = project::ShotType::kVideo;
  p.shots[0].frames = 33;
  p.shots[0].fps = 16;
  auto video = job_for_shot(p, p.shots[0], "/films/a/film.dcproj");
  ASSERT_TRUE(video);
  EXPECT_EQ(video->kind, JobKind::kTextToVideo);
  EXPECT_EQ(video->frames, 33);
}

}  // namespace
}  // namespace dc::engine
