#include "app/dcgen/cli_common.h"

#include <cstdio>

#include "core/tensor/cuda_context.h"

namespace dcgen {

dc::Result<dc::nn::LoadOptions> to_load_options(const DeviceOptions& opt) {
  dc::nn::LoadOptions load;
  if (opt.device == "cuda") {
    DC_TRY_STATUS(dc::require_cuda());
    load.device = dc::Device::cuda();
  } else if (opt.device != "cpu") {
    return dc::Error::invalid_argument("--device must be cpu or cuda, got '" + opt.device + "'");
  }
  if (opt.dtype == "f32") {
    load.dtype = dc::DType::kF32;
  } else if (opt.dtype == "bf16") {
    load.dtype = dc::DType::kBF16;
  } else if (opt.dtype == "f16") {
    load.dtype = dc::DType::kF16;
  } else {
    return dc::Error::invalid_argument("--dtype must be f32, bf16 or f16, got '" + opt.dtype + "'");
  }
  return load;
}

void JobDeviceOptions::add_to(CLI::App* command) {
  command->add_option("--device", device_, "cpu or cuda (default: cuda when present)")
      ->check(CLI::IsMember({"cpu", "cuda"}));
  command->add_option("--dtype", dtype_, "f32 or bf16 (default: bf16 on cuda, f32 on cpu)")
      ->check(CLI::IsMember({"f32", "bf16"}));
}

DeviceOptions JobDeviceOptions::resolved() const {
  DeviceOptions d;
  d.device = !device_.empty() ? device_ : dc::cuda_available() ? "cuda" : "cpu";
  d.dtype = !dtype_.empty() ? dtype_ : d.device == "cuda" ? "bf16" : "f32";
  return d;
}

int report_error(const std::string& command, const dc::Error& error) {
  std::fprintf(stderr, "dcgen %s: error: %s\n", command.c_str(), error.to_string().c_str());
  switch (error.code()) {
    case dc::ErrorCode::kOutOfMemory:
    case dc::ErrorCode::kInternal:
    case dc::ErrorCode::kCancelled:
      return kExitFailed;
    default:
      return kExitBadInput;
  }
}

}  // namespace dcgen
