// queue.json: the render queue kept across restarts, in the app's data folder.
//
//   DC_TRY(QList<QueueEntry> entries, load_queue(path));   // absent file: empty queue
//   DC_TRY_STATUS(save_queue(path, model.entries()));
//
// A job that was running when the app stopped comes back queued: it had not
// finished, and its partial work is gone.
#pragma once

#include <QList>
#include <QString>

#include "core/base/result.h"
#include "ui/queue/queue_entry.h"

namespace dc::ui {

inline constexpr int kQueueFileVersion = 1;

Result<QList<QueueEntry>> load_queue(const QString& path);
Status save_queue(const QString& path, const QList<QueueEntry>& entries);

}  // namespace dc::ui
