// DC_ASSERT guards our own invariants (bugs), never user input: it logs through
// the sink and aborts. DC_CHECK is for conditions that bad data can violate
// deep inside ops; it throws ErrorException, converted to an Error at the
// nearest boundary (see result.h catch_errors).
#pragma once

#include <sstream>
#include <string>

#include "core/base/error.h"

namespace dc::detail {
[[noreturn]] void assert_fail(const char* expr, const char* file, int line, const std::string& msg);
}  // namespace dc::detail

#define DC_ASSERT(cond, ...)                                                        \
  do {                                                                              \
    if (!(cond)) [[unlikely]] {                                                     \
      std::ostringstream dc_msg_;                                                   \
      dc_msg_ << "" __VA_ARGS__;                                                    \
      ::dc::detail::assert_fail(#cond, __FILE__, __LINE__, dc_msg_.str());          \
    }                                                                               \
  } while (0)

// DC_CHECK(cond, stream-expr): throws ErrorException(invalid_argument).
#define DC_CHECK(cond, msg_expr)                                                    \
  do {                                                                              \
    if (!(cond)) [[unlikely]] {                                                     \
      std::ostringstream dc_msg_;                                                   \
      dc_msg_ << msg_expr;                                                          \
      ::dc::throw_error(::dc::Error::invalid_argument(dc_msg_.str()));              \
    }                                                                               \
  } while (0)
