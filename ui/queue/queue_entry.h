// One job of the render queue, as the queue model holds it and queue.json stores it.
#pragma once

#include <QString>
#include <QStringList>
#include <QUuid>

#include "ui/common/generation_params.h"

namespace dc::ui {

enum class QueueState { kQueued, kRunning, kDone, kFailed, kCancelled };
QString queue_state_name(QueueState state);  // "queued", "running", ... (stable: stored in queue.json)
std::optional<QueueState> queue_state_from_name(const QString& name);

struct QueueEntry {
  QUuid id = QUuid::createUuid();
  GenerationParams params;
  QueueState state = QueueState::kQueued;
  QString error;         // kFailed / kCancelled: why
  QStringList outputs;   // kDone: the images written
  // Queued from a project shot: where its picture also goes when done (the
  // project's <output>/<shot id>.png, as `dcgen render` names it), so the
  // timeline shows and plays it. Empty otherwise.
  QString shot_output;
  // Live only (not stored):
  double progress = 0;   // 0..1 of the running job
  QString phase;         // "denoising 3/20"
  bool operator==(const QueueEntry&) const = default;
};

}  // namespace dc::ui
