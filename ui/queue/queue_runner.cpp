#include "ui/queue/queue_runner.h"

#include <QTimer>

namespace dc::ui {
namespace {

// Overall progress of a job from its phase: loading and text encoding are quick
// next to denoising, decoding is a sizeable last part.
double overall_progress(const JobProgress& p) {
  const double within = p.total > 0 ? static_cast<double>(p.step) / p.total : 0.0;
  switch (p.stage) {
    case pipeline::GenerationPhase::kLoading: return 0.0;
    case pipeline::GenerationPhase::kEncodingText: return 0.05;
    case pipeline::GenerationPhase::kDenoising: return 0.05 + 0.85 * within;
    case pipeline::GenerationPhase::kDecoding: return 0.9;
    case pipeline::GenerationPhase::kDone: return 1.0;
  }
  return 0.0;
}

QString phase_label(const JobProgress& p) {
  if (p.total > 1) return QStringLiteral("%1 %2/%3").arg(p.phase).arg(p.step).arg(p.total);
  return p.phase;
}

}  // namespace

QueueRunner::QueueRunner(RenderQueueModel* model, EngineClient* client, QObject* parent)
    : QObject(parent), model_(model), client_(client) {
  connect(client_, &EngineClient::jobProgress, this, &QueueRunner::onProgress);
  connect(client_, &EngineClient::jobPreview, this, &QueueRunner::onPreview);
  connect(client_, &EngineClient::jobFinished, this, &QueueRunner::onFinished);
}

void QueueRunner::startNext() {
  if (isRunning()) return;
  const std::optional<int> row = model_->nextQueuedRow();
  if (!row) {
    Q_EMIT idle();
    return;
  }
  const QueueEntry entry = model_->entries()[*row];
  running_ = entry.id;
  model_->setState(entry.id, QueueState::kRunning);
  running_job_ = client_->submit(entry.params);
  Q_EMIT entryStarted(entry.id, entry.params);
}

void QueueRunner::cancel(const QUuid& entry) {
  if (entry == running_) {
    client_->cancel(running_job_);  // the state changes when the engine reports back
    return;
  }
  const QueueEntry* e = model_->find(entry);
  if (e && e->state == QueueState::kQueued) model_->setState(entry, QueueState::kCancelled, tr("cancelled before it started"));
}

void QueueRunner::onProgress(quint64 job, const JobProgress& progress) {
  if (job != running_job_ || running_.isNull()) return;
  model_->setProgress(running_, overall_progress(progress), phase_label(progress));
  Q_EMIT entryProgress(running_, progress);
}

void QueueRunner::onPreview(quint64 job, int step, const QImage& preview) {
  if (job == running_job_ && !running_.isNull()) Q_EMIT entryPreview(running_, step, preview);
}

void QueueRunner::onFinished(quint64 job, const JobOutcome& outcome) {
  if (job != running_job_ || running_.isNull()) return;
  const QUuid entry = running_;
  running_ = QUuid();
  running_job_ = 0;
  const QueueEntry* e = model_->find(entry);
  const GenerationParams params = e ? e->params : GenerationParams{};
  switch (outcome.status) {
    case JobOutcome::Status::kSucceeded: model_->setState(entry, QueueState::kDone, {}, outcome.files); break;
    case JobOutcome::Status::kFailed: model_->setState(entry, QueueState::kFailed, outcome.error); break;
    case JobOutcome::Status::kCancelled: model_->setState(entry, QueueState::kCancelled, outcome.error); break;
  }
  Q_EMIT entryFinished(entry, params, outcome);
  // Next job from the event loop, so receivers of entryFinished see a settled state.
  QTimer::singleShot(0, this, &QueueRunner::startNext);
}

}  // namespace dc::ui
