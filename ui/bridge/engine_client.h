// EngineClient: the one place where core::Engine meets Qt. It owns the engine,
// turns GenerationParams into JobSpecs, writes each finished job's images (on the
// engine's worker thread, through core's image writer) and re-emits the engine's
// events as signals. The engine calls back on its worker thread, so receivers in
// the UI thread get them queued (Qt::AutoConnection does this across threads).
//
//   auto* client = new EngineClient({.output_folder = "/home/me/Pictures/dcstudio"}, this);
//   connect(client, &EngineClient::jobPreview, viewport, [](quint64, int, const QImage& img) { ... });
//   connect(client, &EngineClient::jobFinished, this, &MainWindow::onJobFinished);
//   quint64 id = client->submit(params);
//   client->cancel(id);
//
// Nothing thrown by the engine or the writer reaches the event loop: every
// failure is a JobOutcome with an error message. Connect with a context object
// (as above): a bare functor would run on the engine's thread.
#pragma once

#include <QImage>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "core/engine/engine.h"
#include "ui/common/generation_params.h"

namespace dc::ui {

struct EngineSettings {
  QString device = QStringLiteral("auto");  // "auto" (CUDA when present), "cpu" or "cuda"
  quint64 vram_budget = 0;                  // bytes a job may hold on the GPU; 0: free memory
  QString output_folder;                    // where images are written (created if missing)
  bool operator==(const EngineSettings&) const = default;
};

struct JobProgress {
  pipeline::GenerationPhase stage = pipeline::GenerationPhase::kLoading;
  QString phase;  // the stage for people: "loading", "encoding text", "denoising", ...
  int step = 0;
  int total = 0;
  double seconds = 0;            // since the job started
  double steps_per_second = 0;   // denoising only; 0 before the first step
};

struct JobOutcome {
  enum class Status { kSucceeded, kFailed, kCancelled };
  Status status = Status::kFailed;
  QString error;          // what went wrong, for the user (kFailed, kCancelled)
  QStringList files;      // images written, one per batch entry
  QList<quint64> seeds;   // per image
  QList<QImage> images;   // the written images, full size
  double seconds = 0;     // wall time of the job
};

class EngineClient : public QObject {
  Q_OBJECT

 public:
  explicit EngineClient(EngineSettings settings, QObject* parent = nullptr);
  ~EngineClient() override;  // cancels running and queued jobs; their signals are dropped

  // Takes effect for the next job submitted while no job is running (the engine is
  // re-created then, closing its open pipelines).
  void setSettings(const EngineSettings& settings);
  const EngineSettings& settings() const { return settings_; }
  // "cpu" or "cuda": where jobs run with the current settings.
  QString resolvedDevice() const;

  quint64 submit(const GenerationParams& params);  // ids start at 1 and are never reused
  void cancel(quint64 id);
  int activeJobs() const;  // submitted and not finished

 Q_SIGNALS:
  void jobStarted(quint64 id);
  void jobProgress(quint64 id, const dc::ui::JobProgress& progress);
  void jobPreview(quint64 id, int step, const QImage& preview);  // the first image of the batch
  void jobWarning(quint64 id, const QString& warning);
  void jobFinished(quint64 id, const dc::ui::JobOutcome& outcome);

 private:
  struct Pending {
    quint64 id = 0;
    engine::JobSpec spec;
    QString output_folder;  // settings at submit time: the worker must not read settings_
    QString device;
    double denoise_started = -1;  // job seconds at denoising step 0
  };

  void ensureEngine();
  engine::EngineEvents makeEvents();
  // Worker-thread halves of the engine callbacks.
  std::optional<quint64> clientId(engine::JobId job) const;  // nullopt: unknown, or closing
  std::optional<std::pair<quint64, JobProgress>> trackProgress(engine::JobId job,
                                                               const pipeline::GenerationProgress& p);
  void handleFinished(engine::JobId job, Result<engine::JobOutput> result);
  JobOutcome writeOutputs(const Pending& pending, const engine::JobOutput& output) const;

  EngineSettings settings_;
  bool settings_changed_ = true;
  quint64 next_id_ = 1;

  mutable std::mutex mutex_;                  // guards pending_ (UI and worker threads)
  std::map<engine::JobId, Pending> pending_;  // by the engine's id
  bool closing_ = false;                      // set in the destructor: drop late callbacks

  std::unique_ptr<engine::Engine> engine_;  // last: destroyed first, while the rest still exists
};

}  // namespace dc::ui

Q_DECLARE_METATYPE(dc::ui::JobProgress)
Q_DECLARE_METATYPE(dc::ui::JobOutcome)
