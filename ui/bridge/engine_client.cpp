#include "ui/bridge/engine_client.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSaveFile>
#include <optional>
#include <utility>

#include "core/tensor/cuda_context.h"
#include "ui/bridge/image_metadata.h"
#include "ui/bridge/tensor_image.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dc::ui {
namespace {

QString phase_text(pipeline::GenerationPhase phase) {
  switch (phase) {
    case pipeline::GenerationPhase::kLoading: return EngineClient::tr("loading");
    case pipeline::GenerationPhase::kEncodingText: return EngineClient::tr("encoding text");
    case pipeline::GenerationPhase::kDenoising: return EngineClient::tr("denoising");
    case pipeline::GenerationPhase::kDecoding: return EngineClient::tr("decoding");
    case pipeline::GenerationPhase::kDone: return EngineClient::tr("done");
  }
  return {};
}

// "<folder>/dcstudio-20261123-142501-42.png", with "-2", "-3"… when taken.
QString unused_image_path(const QDir& folder, quint64 seed) {
  const QString stem = QStringLiteral("dcstudio-%1-%2")
                           .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                           .arg(seed);
  QString path = folder.filePath(stem + QStringLiteral(".png"));
  for (int k = 2; QFileInfo::exists(path); ++k) path = folder.filePath(QStringLiteral("%1-%2.png").arg(stem).arg(k));
  return path;
}

// Without OpenImageIO core has no PNG writer; Qt's writes the same tEXt chunks.
Status write_png(const QString& path, const Tensor& image, const QImage& rgb,
                 const std::map<std::string, std::string>& metadata) {
#ifdef DC_HAVE_OIIO
  (void)rgb;
  return write_image(path.toStdString(), image, metadata);
#else
  (void)image;
  QImage copy = rgb;
  for (const auto& [key, value] : metadata) copy.setText(QString::fromStdString(key), QString::fromStdString(value));
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || !copy.save(&file, "PNG") || !file.commit()) {
    return Error::io(path.toStdString() + ": " + file.errorString().toStdString());
  }
  return ok_status();
#endif
}

}  // namespace

EngineClient::EngineClient(EngineSettings settings, QObject* parent) : QObject(parent), settings_(std::move(settings)) {
  qRegisterMetaType<dc::ui::JobProgress>();
  qRegisterMetaType<dc::ui::JobOutcome>();
}

EngineClient::~EngineClient() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  engine_.reset();  // cancels and joins; the callbacks it still makes see closing_
}

void EngineClient::setSettings(const EngineSettings& settings) {
  if (settings == settings_) return;
  settings_ = settings;
  settings_changed_ = true;
}

QString EngineClient::resolvedDevice() const {
  if (settings_.device == QLatin1String("cpu") || settings_.device == QLatin1String("cuda")) return settings_.device;
  return cuda_available() ? QStringLiteral("cuda") : QStringLiteral("cpu");
}

void EngineClient::ensureEngine() {
  if (engine_ && (!settings_changed_ || activeJobs() > 0)) return;
  engine_.reset();
  {
    std::lock_guard lock(mutex_);
    pending_.clear();
  }
  engine::EngineOptions options;
  const bool cuda = resolvedDevice() == QLatin1String("cuda");
  options.pipeline.device = cuda ? Device::cuda() : Device::cpu();
  options.pipeline.dtype = cuda ? DType::kBF16 : DType::kF32;  // as dcgen generate's defaults
  options.pipeline.vram_budget = settings_.vram_budget;
  engine_ = std::make_unique<engine::Engine>(options, makeEvents());
  settings_changed_ = false;
}

std::optional<quint64> EngineClient::clientId(engine::JobId job) const {
  std::lock_guard lock(mutex_);
  if (closing_) return std::nullopt;
  auto it = pending_.find(job);
  if (it == pending_.end()) return std::nullopt;
  return it->second.id;
}

engine::EngineEvents EngineClient::makeEvents() {
  engine::EngineEvents ev;
  // Each callback runs on the engine's worker thread, looks the job up and emits
  // outside the lock: the signals cross to the UI thread queued.
  ev.on_started = [this](engine::JobId job) {
    if (auto id = clientId(job)) Q_EMIT jobStarted(*id);
  };
  ev.on_progress = [this](engine::JobId job, const pipeline::GenerationProgress& p) {
    if (auto progress = trackProgress(job, p)) Q_EMIT jobProgress(progress->first, progress->second);
  };
  ev.on_preview = [this](engine::JobId job, int step, const Tensor& preview) {
    auto id = clientId(job);
    if (!id) return;
    const QList<QImage> images = images_from_tensor(preview);
    if (!images.isEmpty()) Q_EMIT jobPreview(*id, step, images.front());
  };
  ev.on_warning = [this](engine::JobId job, const std::string& warning) {
    if (auto id = clientId(job)) Q_EMIT jobWarning(*id, QString::fromStdString(warning));
  };
  ev.on_finished = [this](engine::JobId job, Result<engine::JobOutput> r) { handleFinished(job, std::move(r)); };
  return ev;
}

std::optional<std::pair<quint64, JobProgress>> EngineClient::trackProgress(engine::JobId job,
                                                                           const pipeline::GenerationProgress& p) {
  std::lock_guard lock(mutex_);
  auto it = pending_.find(job);
  if (closing_ || it == pending_.end()) return std::nullopt;
  JobProgress progress{p.phase, phase_text(p.phase), p.step, p.total, p.seconds, 0};
  if (p.phase == pipeline::GenerationPhase::kDenoising) {
    if (p.step == 0) it->second.denoise_started = p.seconds;
    const double elapsed = p.seconds - it->second.denoise_started;
    if (p.step > 0 && it->second.denoise_started >= 0 && elapsed > 0) progress.steps_per_second = p.step / elapsed;
  }
  return std::pair{it->second.id, progress};
}

void EngineClient::handleFinished(engine::JobId job, Result<engine::JobOutput> result) {
  Pending pending;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(job);
    if (closing_ || it == pending_.end()) return;
    pending = std::move(it->second);
    pending_.erase(it);
  }
  JobOutcome outcome;
  if (!result) {
    const bool cancelled = result.error().code() == ErrorCode::kCancelled;
    outcome.status = cancelled ? JobOutcome::Status::kCancelled : JobOutcome::Status::kFailed;
    outcome.error = QString::fromStdString(result.error().to_string());
  } else {
    // Writing can throw deep inside (a tensor op, an allocation): nothing may escape the worker.
    Result<JobOutcome> written = catch_errors([&] { return writeOutputs(pending, *result); });
    if (written) {
      outcome = std::move(*written);
    } else {
      outcome.error = QString::fromStdString(written.error().to_string());
    }
    outcome.seconds = result->image.seconds_text + result->image.seconds_denoise + result->image.seconds_decode;
  }
  Q_EMIT jobFinished(pending.id, outcome);
}

JobOutcome EngineClient::writeOutputs(const Pending& pending, const engine::JobOutput& output) const {
  JobOutcome outcome;
  const QDir folder(pending.output_folder);
  if (pending.output_folder.isEmpty() || !folder.mkpath(QStringLiteral("."))) {
    outcome.error = tr("cannot create the output folder \"%1\" (Settings > Output folder)").arg(pending.output_folder);
    return outcome;
  }
  const QList<QImage> images = images_from_tensor(output.image.images);
  for (int k = 0; k < images.size(); ++k) {
    const quint64 seed = k < static_cast<int>(output.image.seeds.size()) ? output.image.seeds[k] : pending.spec.request.seed + k;
    const QString path = unused_image_path(folder, seed);
    const auto metadata = image_metadata(pending.spec, output, seed, pending.device.toStdString());
    const Status s = write_png(path, output.image.images.slice(0, k, k + 1), images[k], metadata);
    if (!s) {
      outcome.error = QString::fromStdString(s.error().to_string());
      return outcome;
    }
    // Show what was written (the writer's own 8-bit rounding), not a second conversion.
    const QImage written(path);
    outcome.files << path;
    outcome.seeds << seed;
    outcome.images << (written.isNull() ? images[k] : written);
  }
  outcome.status = JobOutcome::Status::kSucceeded;
  return outcome;
}

quint64 EngineClient::submit(const GenerationParams& params) {
  ensureEngine();
  const quint64 id = next_id_++;
  Pending pending{id, to_job_spec(params), settings_.output_folder, resolvedDevice()};
  engine::JobSpec spec = pending.spec;
  // Held across submit so the worker cannot report the job before it is known here.
  std::lock_guard lock(mutex_);
  const engine::JobId job = engine_->submit(std::move(spec));
  pending_.emplace(job, std::move(pending));
  return id;
}

void EngineClient::cancel(quint64 id) {
  engine::JobId job = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [engine_id, p] : pending_)
      if (p.id == id) job = engine_id;
  }
  if (job && engine_) engine_->cancel(job);
}

int EngineClient::activeJobs() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(pending_.size());
}

}  // namespace dc::ui
