// Value-or-error returns for gpu/vulkan. gpu/ may not include core/ (STYLE.md
// section 3), so this is a small local twin of core/base's Result; ui/viewport
// turns an `Error` here into a dc::Error with the same kind and message.
//
//   Result<std::unique_ptr<Presenter>> p = Presenter::create(options);
//   if (!p) log(p.error().message);
//   DC_VK_TRY_STATUS(presenter->upload(image));  // returns the error to our caller
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace dc::gpu::vulkan {

enum class ErrorKind {
  kInvalidArgument,  // the caller passed something malformed (zero size, bad stride)
  kNotSupported,     // a valid request this device or build cannot run
  kOutOfMemory,      // host or device allocation failed
  kDeviceLost,       // the driver lost the device; the presenter must be recreated
  kInternal,         // any other Vulkan failure, named by the call that failed
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;

  static Error invalid_argument(std::string m) { return {ErrorKind::kInvalidArgument, std::move(m)}; }
  static Error not_supported(std::string m) { return {ErrorKind::kNotSupported, std::move(m)}; }
  static Error out_of_memory(std::string m) { return {ErrorKind::kOutOfMemory, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorKind::kInternal, std::move(m)}; }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(implicit)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

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

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace dc::gpu::vulkan

#define DC_VK_CONCAT_INNER(a, b) a##b
#define DC_VK_CONCAT(a, b) DC_VK_CONCAT_INNER(a, b)

// DC_VK_TRY(decl, expr): evaluates a Result; returns its error from the enclosing
// function, else binds the value to decl.
#define DC_VK_TRY(decl, expr)                                                                     \
  auto DC_VK_CONCAT(dc_vk_try_, __LINE__) = (expr);                                               \
  if (!DC_VK_CONCAT(dc_vk_try_, __LINE__)) return std::move(DC_VK_CONCAT(dc_vk_try_, __LINE__)).error(); \
  decl = std::move(DC_VK_CONCAT(dc_vk_try_, __LINE__)).value()

// DC_VK_TRY_STATUS(expr): for Status (and any Result whose value is not needed).
#define DC_VK_TRY_STATUS(expr)                               \
  do {                                                       \
    auto dc_vk_status_ = (expr);                             \
    if (!dc_vk_status_) return std::move(dc_vk_status_).error(); \
  } while (0)
