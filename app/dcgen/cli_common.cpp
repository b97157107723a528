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
