#include "core/base/assert.h"

#include <cstdlib>

#include "core/base/log.h"

namespace dc::detail {

void assert_fail(const char* expr, const char* file, int line, const std::string& msg) {
  std::string text = std::string("assertion failed: ") + expr + " at " + file + ":" + std::to_string(line);
  if (!msg.empty()) text += " (" + msg + ")";
  log(LogLevel::kError, text);
  flush_log();
  std::abort();
}

}  // namespace dc::detail
