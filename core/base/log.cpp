#include "core/base/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace dc {
namespace {

std::mutex& sink_mutex() {
  static std::mutex m;
  return m;
}
LogSink& sink_slot() {
  static LogSink sink;
  return sink;
}
std::atomic<LogLevel> g_level{LogLevel::kWarning};

const char* level_tag(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "";
}

}  // namespace

void set_log_sink(LogSink sink) {
  std::lock_guard lock(sink_mutex());
  sink_slot() = std::move(sink);
}

void set_log_level(LogLevel level) { g_level = level; }

void log(LogLevel level, std::string_view message) {
  if (level < g_level.load()) return;
  std::lock_guard lock(sink_mutex());
  if (sink_slot()) {
    sink_slot()(level, message);
  } else {
    std::fprintf(stderr, "[%s] %.*s\n", level_tag(level), static_cast<int>(message.size()), message.data());
  }
}

void flush_log() { std::fflush(stderr); }

}  // namespace dc
