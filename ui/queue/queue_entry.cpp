#include "ui/queue/queue_entry.h"

namespace dc::ui {
namespace {

struct StateName {
  QueueState state;
  const char* name;
};
constexpr StateName kStateNames[] = {{QueueState::kQueued, "queued"},
                                     {QueueState::kRunning, "running"},
                                     {QueueState::kDone, "done"},
                                     {QueueState::kFailed, "failed"},
                                     {QueueState::kCancelled, "cancelled"}};

}  // namespace

QString queue_state_name(QueueState state) {
  for (const StateName& s : kStateNames)
    if (s.state == state) return QLatin1String(s.name);
  return {};
}

std::optional<QueueState> queue_state_from_name(const QString& name) {
  for (const StateName& s : kStateNames)
    if (name == QLatin1String(s.name)) return s.state;
  return std::nullopt;
}

}  // namespace dc::ui
