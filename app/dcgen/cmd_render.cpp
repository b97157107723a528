// dcgen render PROJECT.dcproj [--out DIR] [--shots ID,..] [--shard I/N] [--resume]
// Renders a project's shots headless through core::Engine: <out>/<shot id>.png
// (+ <shot id>.done.json records) written atomically; --resume skips shots whose
// record and output are intact; --shard I/N takes shots k with k mod N = I - 1
// (docs/RENDER_FARM.md). Exit codes: 0 every shot rendered, 1 some shot failed,
// 2 unusable project or options, 130 cancelled (Ctrl-C; finished shots are kept).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"
#include "app/dcgen/progress_bar.h"
#include "app/dcgen/render_output.h"
#include "core/engine/engine.h"
#include "core/engine/shot_job.h"
#include "core/pipeline/memory_budget.h"
#include "core/project/content_hash.h"
#include "core/project/project_file.h"
#include "core/project/render_plan.h"
#include "core/tensor/cuda_context.h"

namespace dcgen {
namespace {

namespace fs = std::filesystem;
namespace proj = dc::project;

struct RenderArgs {
  std::string project, out, shots_list, shard = "1/1", vram_budget, model_check = "warn";
  bool resume = false, dry_run = false;
  JobDeviceOptions device;
};

// Ctrl-C: the main loop sees the flag and cancels the engine's jobs; a second one kills the process.
std::atomic<bool> g_interrupted{false};
extern "C" void on_render_interrupt(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);
}

// Engine events, handed from the worker thread to the main thread, which draws
// the progress and writes the files.
struct RenderEvent {
  enum class Kind { kStarted, kProgress, kWarning, kFinished } kind;
  dc::engine::JobId id = 0;
  dc::pipeline::GenerationProgress progress;
  std::string warning;
  std::optional<dc::Result<dc::engine::JobOutput>> result;
};

class EventQueue {
 public:
  void push(RenderEvent e) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(e));
    }
    ready_.notify_one();
  }
  std::optional<RenderEvent> pop(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [&] { return !events_.empty(); })) return std::nullopt;
    RenderEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<RenderEvent> events_;
};

// Every model the selected shots use must exist; a recorded content hash is compared.
int check_models(const proj::Project& p, const fs::path& project_file, const std::vector<size_t>& todo,
                 const std::string& policy) {
  std::vector<std::string> seen;
  for (size_t k : todo) {
    const proj::ModelRef& m = *p.find_model(p.shots[k].model);
    if (std::find(seen.begin(), seen.end(), m.id) != seen.end()) continue;
    seen.push_back(m.id);
    const fs::path folder = proj::resolve_project_path(project_file, m.folder);
    if (!fs::is_directory(folder)) {
      return report_error("render", dc::Error::not_found("model \"" + m.id + "\": no folder " + folder.string()));
    }
    if (policy == "off") continue;
    auto hash = proj::content_hash(folder);
    if (!hash) return report_error("render", std::move(hash).error().with_context("model \"" + m.id + "\""));
    if (m.content_hash.empty()) {
      std::fprintf(stderr, "dcgen render: model \"%s\" has no content_hash in the project; its folder's is %s\n",
                   m.id.c_str(), hash->c_str());
    } else if (*hash != m.content_hash) {
      const std::string what = "model \"" + m.id + "\": the folder " + folder.string() + " changed since the project "
                               "was made (content hash " + *hash + ", project has " + m.content_hash + ")";
      if (policy == "fail") return report_error("render", dc::Error::invalid_argument(what + "; --model-check warn "
                                                                                      "renders anyway"));
      std::fprintf(stderr, "dcgen render: warning: %s\n", what.c_str());
    }
  }
  return kExitOk;
}

// Shots grouped by model (first use order), so each model is loaded once.
std::vector<size_t> order_by_model(const proj::Project& p, std::vector<size_t> todo) {
  std::map<std::string, size_t> first;
  for (size_t k : todo) first.emplace(p.shots[k].model, first.size());
  std::stable_sort(todo.begin(), todo.end(),
                   [&](size_t a, size_t b) { return first[p.shots[a].model] < first[p.shots[b].model]; });
  return todo;
}

int run_render(RenderArgs a) {
  const char* cmd = "render";
  const DeviceOptions device = a.device.resolved();
  auto load = to_load_options(device);
  if (!load) return report_error(cmd, load.error());
  dc::engine::EngineOptions options;
  options.pipeline = {load->device, load->dtype, 0};
  if (!a.vram_budget.empty()) {
    auto budget = dc::pipeline::parse_byte_size(a.vram_budget);
    if (!budget) return report_error(cmd, budget.error());
    options.pipeline.vram_budget = *budget;
  }
  const fs::path project_file = a.project;
  auto project = proj::load_project(project_file);
  if (!project) return report_error(cmd, project.error());
  const proj::Project& p = *project;
  auto shard = proj::parse_shard(a.shard);
  if (!shard) return report_error(cmd, shard.error());
  std::vector<std::string> only;
  for (size_t start = 0; start < a.shots_list.size();) {
    const size_t comma = std::min(a.shots_list.find(',', start), a.shots_list.size());
    if (comma > start) only.push_back(a.shots_list.substr(start, comma - start));
    start = comma + 1;
  }
  auto selected = proj::select_shots(p, only, *shard);
  if (!selected) return report_error(cmd, selected.error());
  if (auto s = check_image_format_supported(p.output.image_format); !s) return report_error(cmd, s.error());
  const fs::path out_dir = a.out.empty() ? proj::resolve_project_path(project_file, p.output.folder) : fs::path(a.out);

  // What is left to do: with --resume, shots whose record and output are intact are skipped.
  std::vector<size_t> todo;
  size_t skipped = 0;
  proj::LoRAHashCache lora_hashes;  // each LoRA file read once per render
  for (size_t k : *selected) {
    const proj::Shot& shot = p.shots[k];
    if (a.resume && fs::is_directory(out_dir)) {
      const proj::FinishedCheck check =
          proj::check_finished(out_dir, p, shot, proj::lora_file_hashes(project_file, shot, &lora_hashes));
      if (check.finished) {
        ++skipped;
        continue;
      }
      if (check.reason != "not rendered yet") {
        std::fprintf(stderr, "dcgen render: shot \"%s\" is rendered again: %s\n", shot.id.c_str(), check.reason.c_str());
      }
    }
    todo.push_back(k);
  }
  std::fprintf(stderr, "dcgen render: %s: %zu of %zu shots in shard %d/%d, %zu already finished, %zu to render -> %s\n",
               project_file.filename().string().c_str(), selected->size(), p.shots.size(), shard->index, shard->count,
               skipped, todo.size(), out_dir.string().c_str());
  if (a.dry_run) {
    for (size_t k : todo) std::printf("%s\n", p.shots[k].id.c_str());
    return kExitOk;
  }
  if (todo.empty()) return kExitOk;
  if (int rc = check_models(p, project_file, todo, a.model_check); rc != kExitOk) return rc;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (!fs::is_directory(out_dir)) {
    return report_error(cmd, dc::Error::io("cannot create the output folder " + out_dir.string() + ": " + ec.message()));
  }

  EventQueue queue;
  dc::engine::EngineEvents events;
  events.on_started = [&](dc::engine::JobId id) { queue.push({RenderEvent::Kind::kStarted, id, {}, {}, {}}); };
  events.on_progress = [&](dc::engine::JobId id, const dc::pipeline::GenerationProgress& pr) {
    queue.push({RenderEvent::Kind::kProgress, id, pr, {}, {}});
  };
  events.on_warning = [&](dc::engine::JobId id, const std::string& w) {
    queue.push({RenderEvent::Kind::kWarning, id, {}, w, {}});
  };
  events.on_finished = [&](dc::engine::JobId id, dc::Result<dc::engine::JobOutput> r) {
    queue.push({RenderEvent::Kind::kFinished, id, {}, {}, std::move(r)});
  };
  dc::engine::Engine engine(options, events);
  std::map<dc::engine::JobId, size_t> shot_of_job;
  std::vector<std::pair<std::string, std::string>> failures;  // shot id, error
  for (size_t k : order_by_model(p, todo)) {
    const proj::Shot& shot = p.shots[k];
    proj::remove_stale_temporaries(out_dir, p, shot);  // left by a killed render
    auto spec = dc::engine::job_for_shot(p, shot, project_file);
    if (!spec) {
      failures.emplace_back(shot.id, spec.error().to_string());
      continue;
    }
    shot_of_job[engine.submit(std::move(*spec))] = k;
  }

  ProgressBar bar(stderr);
  std::signal(SIGINT, on_render_interrupt);
  size_t done = 0, rendered = 0, position = 0;
  bool cancelled = false;
  while (done < shot_of_job.size()) {
    if (g_interrupted.load() && !cancelled) {
      cancelled = true;
      engine.cancel_all();
      bar.message("dcgen render: cancelling (finished shots are kept)");
    }
    std::optional<RenderEvent> e = queue.pop(std::chrono::milliseconds(100));
    if (!e) continue;
    const proj::Shot& shot = p.shots[shot_of_job.at(e->id)];
    switch (e->kind) {
      case RenderEvent::Kind::kStarted:
        bar.message("dcgen render: [" + std::to_string(++position) + "/" + std::to_string(shot_of_job.size()) +
                    "] shot \"" + shot.id + "\" (" + std::to_string(shot.width) + "x" + std::to_string(shot.height) +
                    ", " + std::to_string(shot.steps) + " steps, seed " + std::to_string(shot.seed) + ")");
        break;
      case RenderEvent::Kind::kProgress:
        bar.update(e->progress);
        break;
      case RenderEvent::Kind::kWarning:
        bar.message("dcgen render: shot \"" + shot.id + "\": warning: " + e->warning);
        break;
      case RenderEvent::Kind::kFinished: {
        ++done;
        bar.finish();
        dc::Result<dc::engine::JobOutput>& r = *e->result;
        if (!r) {
          if (r.error().code() != dc::ErrorCode::kCancelled) {
            failures.emplace_back(shot.id, r.error().to_string());
            std::fprintf(stderr, "dcgen render: shot \"%s\" failed: %s\n", shot.id.c_str(),
                         r.error().to_string().c_str());
          }
          break;
        }
        auto record = write_shot_output(out_dir, p, shot, *r, device.device,
                                        proj::lora_file_hashes(project_file, shot, &lora_hashes));
        if (!record) {
          failures.emplace_back(shot.id, record.error().to_string());
          std::fprintf(stderr, "dcgen render: shot \"%s\": %s\n", shot.id.c_str(), record.error().to_string().c_str());
          break;
        }
        ++rendered;
        std::fprintf(stderr, "dcgen render: wrote %s\n", (out_dir / record->output).string().c_str());
        break;
      }
    }
  }
  std::signal(SIGINT, SIG_DFL);
  std::fprintf(stderr, "dcgen render: %zu rendered, %zu skipped as finished, %zu failed\n", rendered, skipped,
               failures.size());
  for (const auto& [id, error] : failures) std::fprintf(stderr, "  failed: %s: %s\n", id.c_str(), error.c_str());
  if (cancelled) {
    std::fprintf(stderr, "dcgen render: cancelled; finished shots are kept (--resume continues)\n");
    return 130;
  }
  return failures.empty() ? kExitOk : kExitFailed;
}

}  // namespace

Command add_render_command(CLI::App& app) {
  auto args = std::make_shared<RenderArgs>();
  CLI::App* c = app.add_subcommand("render", "Render a project's shots (.dcproj) headless: resumable, shardable");
  c->add_option("project", args->project, "Project file (.dcproj)")->required()->check(CLI::ExistingFile);
  c->add_option("--out", args->out, "Output folder (default: the project's output.folder, \"renders\" beside it)");
  // One comma-separated value (split in run_render), so a following positional is not taken as a shot.
  c->add_option("--shots", args->shots_list, "Only these shot ids, comma-separated: opening,pan");
  c->add_option("--shard", args->shard, "Render shard I of N: shots k with k mod N = I-1 (for job arrays)")
      ->capture_default_str();
  c->add_flag("--resume", args->resume, "Skip shots whose output and record are intact (a killed render continues)");
  c->add_flag("--dry-run", args->dry_run, "Print the ids of the shots that would be rendered, render nothing");
  c->add_option("--model-check", args->model_check,
                "When a model folder's content hash differs from the project's: warn, fail or off")
      ->check(CLI::IsMember({"warn", "fail", "off"}))
      ->capture_default_str();
  c->add_option("--vram-budget", args->vram_budget, "GPU memory each job may use, e.g. 24G (default: free memory)");
  args->device.add_to(c);
  return {c, [args] { return run_render(*args); }};
}

}  // namespace dcgen
