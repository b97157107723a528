// Helpers shared by dcgen subcommands: device/dtype options, error reporting.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "core/base/result.h"
#include "core/nn/module.h"

namespace dcgen {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;     // a valid request failed while running (e.g. out of memory)
constexpr int kExitBadInput = 2;   // unusable input: files, classes, shapes, options

struct DeviceOptions {
  std::string device = "cpu";
  std::string dtype = "f32";
};

// --device / --dtype of generation jobs, defaulting to the GPU in bf16 when one is
// present and to the CPU in f32 otherwise (an explicit choice always wins).
class JobDeviceOptions {
 public:
  void add_to(CLI::App* command);
  DeviceOptions resolved() const;

 private:
  std::string device_, dtype_;  // empty: not given
};

// Validates --device/--dtype (cuda must be compiled in and present).
dc::Result<dc::nn::LoadOptions> to_load_options(const DeviceOptions& opt);

// Prints "dcgen <cmd>: error: ..." and maps the error code to an exit code.
int report_error(const std::string& command, const dc::Error& error);

}  // namespace dcgen
