// QueueRunner runs the render queue one job at a time through the EngineClient:
// the first queued entry starts when nothing runs, its progress and result are
// written back into the model, then the next one starts. Order, cancel and retry
// are the model's business, so reordering a waiting job needs no engine call.
//
//   QueueRunner runner(&model, &client);
//   model.enqueue(params);
//   runner.startNext();   // also called by itself after each job
#pragma once

#include <QObject>
#include <QUuid>

#include "ui/bridge/engine_client.h"
#include "ui/queue/render_queue_model.h"

namespace dc::ui {

class QueueRunner : public QObject {
  Q_OBJECT

 public:
  QueueRunner(RenderQueueModel* model, EngineClient* client, QObject* parent = nullptr);

  void startNext();                 // no-op while a job runs or nothing is queued
  void cancel(const QUuid& entry);  // running: asks the engine; queued: marks it cancelled
  bool isRunning() const { return !running_.isNull(); }
  QUuid runningEntry() const { return running_; }

 Q_SIGNALS:
  void entryStarted(const QUuid& entry, const dc::ui::GenerationParams& params);
  void entryProgress(const QUuid& entry, const dc::ui::JobProgress& progress);
  void entryPreview(const QUuid& entry, int step, const QImage& preview);
  void entryFinished(const QUuid& entry, const dc::ui::GenerationParams& params, const dc::ui::JobOutcome& outcome);
  void idle();  // the queue has nothing left to run

 private:
  void onProgress(quint64 job, const JobProgress& progress);
  void onPreview(quint64 job, int step, const QImage& preview);
  void onFinished(quint64 job, const JobOutcome& outcome);

  RenderQueueModel* model_;
  EngineClient* client_;
  QUuid running_;
  quint64 running_job_ = 0;
};

}  // namespace dc::ui
