// Typed errors for everything that can fail on user input or resources.
//
//   Result<Tensor> r = load(...);
//   if (!r) { log_error(r.error().to_string()); return 2; }
//
// `Error` carries a code, a message a user can act on and context lines
// (outermost last) such as the file and tensor being read.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace dc {

enum class ErrorCode {
  kInvalidArgument,  // caller passed something malformed (bad shape, option, prompt)
  kNotFound,         // a file, tensor or key is missing
  kIo,               // the OS refused a read/write/mmap
  kFormat,           // a file exists but its content is malformed
  kNotSupported,     // valid request this build/device cannot run
  kOutOfMemory,      // host or device allocation failed
  kCancelled,        // the user cancelled
  kInternal,         // a bug surfaced as an error at a boundary
};

std::string_view error_code_name(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Error invalid_argument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
  static Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
  static Error io(std::string m) { return {ErrorCode::kIo, std::move(m)}; }
  static Error format(std::string m) { return {ErrorCode::kFormat, std::move(m)}; }
  static Error not_supported(std::string m) { return {ErrorCode::kNotSupported, std::move(m)}; }
  static Error out_of_memory(std::string m) { return {ErrorCode::kOutOfMemory, std::move(m)}; }
  static Error cancelled(std::string m) { return {ErrorCode::kCancelled, std::move(m)}; }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<std::string>& context() const { return context_; }

  // Adds where the error happened ("reading vae/diffusion_pytorch_model.safetensors").
  Error& with_context(std::string where) & {
    context_.push_back(std::move(where));
    return *this;
  }
  Error&& with_context(std::string where) && {
    context_.push_back(std::move(where));
    return std::move(*this);
  }

  // "vae/x.safetensors: tensor 'a' has 3 dims, expected 4" style one-liner, outermost context first.
  std::string to_string() const;

 private:
  ErrorCode code_;
  std::string message_;
  std::vector<std::string> context_;
};

// Thrown by ops and allocators deep inside a computation (shape mismatch from a
// checkpoint that slipped past validation, device OOM) and converted back into an
// `Error` at the module/engine boundary by `catch_errors`. Never escapes a thread
// or the UI loop.
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error e) : std::runtime_error(e.to_string()), error_(std::move(e)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

[[noreturn]] void throw_error(Error e);

}  // namespace dc
