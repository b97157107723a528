// Process-wide log sink. Default writes warnings and errors to stderr; the app
// installs its own sink (file + status bar), tests may capture.
//
//   dc::log(dc::LogLevel::kInfo, "loaded 312 tensors");
#pragma once

#include <functional>
#include <string_view>

namespace dc {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

using LogSink = std::function<void(LogLevel, std::string_view)>;

void set_log_sink(LogSink sink);     // nullptr restores the stderr sink
void set_log_level(LogLevel level);  // messages below are dropped
void log(LogLevel level, std::string_view message);
void flush_log();

}  // namespace dc
