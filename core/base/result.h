// `Result<T>`: a value or an `Error`, never both (std::expected-shaped).
//
//   Result<Config> parse(const std::string& text);
//   DC_TRY(auto cfg, parse(text));        // returns the error to our caller
//   Status s = save(...); if (!s) ...      // Status = Result<void>
#pragma once

#include <optional>
#include <utility>
#include <variant>

#include "core/base/error.h"

namespace dc {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT(implicit)
  Result(Error error) : v_(std::move(error)) {}      // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

  // The value, or throws ErrorException: for code whose boundary converts back.
  T value_or_throw() && {
    if (!ok()) throw_error(std::get<1>(std::move(v_)));
    return std::get<0>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }
  void value_or_throw() && {
    if (error_) throw_error(std::move(*error_));
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

// Runs `fn` and turns any ErrorException (or std::exception) into an Error:
// the boundary between throwing op code and Result-returning APIs.
template <class Fn>
auto catch_errors(Fn&& fn) -> Result<decltype(fn())> {
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      return {};
    } else {
      return fn();
    }
  } catch (const ErrorException& e) {
    return e.error();
  } catch (const std::bad_alloc&) {
    return Error::out_of_memory("host memory allocation failed");
  } catch (const std::exception& e) {
    return Error::internal(e.what());
  }
}

}  // namespace dc

#define DC_CONCAT_INNER(a, b) a##b
#define DC_CONCAT(a, b) DC_CONCAT_INNER(a, b)

// DC_TRY(decl, expr): evaluates expr (a Result); on error returns it from the
// enclosing function, else binds the value to decl.
#define DC_TRY(decl, expr)                                         \
  auto DC_CONCAT(dc_try_, __LINE__) = (expr);                      \
  if (!DC_CONCAT(dc_try_, __LINE__)) return std::move(DC_CONCAT(dc_try_, __LINE__)).error(); \
  decl = std::move(DC_CONCAT(dc_try_, __LINE__)).value()

// DC_TRY_STATUS(expr): for Result<void>.
#define DC_TRY_STATUS(expr)                                   \
  do {                                                        \
    auto dc_status_ = (expr);                                 \
    if (!dc_status_) return std::move(dc_status_).error();    \
  } while (0)
