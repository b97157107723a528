// Private to gpu/cuda/conv (cuDNN builds only): move-only owners of cuDNN handles and
// descriptors (STYLE convention 9), status text, and the per-thread handle.
#pragma once

#include <cudnn.h>

#include <memory>
#include <string>

#include "gpu/cuda/common/status.h"

namespace dc::gpu::cudnn {

inline std::string status(cudnnStatus_t s, const char* what) {
  if (s == CUDNN_STATUS_SUCCESS) return {};
  return std::string("cudnn: ") + what + ": " + cudnnGetErrorString(s);
}

#define DC_CUDNN_TRY(call, what) DC_GPU_TRY(::dc::gpu::cudnn::status((call), what))

struct HandleDeleter {
  void operator()(cudnnContext* h) const { cudnnDestroy(h); }
};
struct TensorDeleter {
  void operator()(cudnnTensorStruct* d) const { cudnnDestroyTensorDescriptor(d); }
};
struct FilterDeleter {
  void operator()(cudnnFilterStruct* d) const { cudnnDestroyFilterDescriptor(d); }
};
struct ConvDeleter {
  void operator()(cudnnConvolutionStruct* d) const { cudnnDestroyConvolutionDescriptor(d); }
};
struct ActivationDeleter {
  void operator()(cudnnActivationStruct* d) const { cudnnDestroyActivationDescriptor(d); }
};

using Handle = std::unique_ptr<cudnnContext, HandleDeleter>;
using TensorDesc = std::unique_ptr<cudnnTensorStruct, TensorDeleter>;
using FilterDesc = std::unique_ptr<cudnnFilterStruct, FilterDeleter>;
using ConvDesc = std::unique_ptr<cudnnConvolutionStruct, ConvDeleter>;
using ActivationDesc = std::unique_ptr<cudnnActivationStruct, ActivationDeleter>;

inline std::string make(TensorDesc* d) {
  cudnnTensorDescriptor_t raw = nullptr;
  std::string e = status(cudnnCreateTensorDescriptor(&raw), "cudnnCreateTensorDescriptor");
  d->reset(raw);
  return e;
}
inline std::string make(FilterDesc* d) {
  cudnnFilterDescriptor_t raw = nullptr;
  std::string e = status(cudnnCreateFilterDescriptor(&raw), "cudnnCreateFilterDescriptor");
  d->reset(raw);
  return e;
}
inline std::string make(ConvDesc* d) {
  cudnnConvolutionDescriptor_t raw = nullptr;
  std::string e = status(cudnnCreateConvolutionDescriptor(&raw), "cudnnCreateConvolutionDescriptor");
  d->reset(raw);
  return e;
}
inline std::string make(ActivationDesc* d) {
  cudnnActivationDescriptor_t raw = nullptr;
  std::string e = status(cudnnCreateActivationDescriptor(&raw), "cudnnCreateActivationDescriptor");
  d->reset(raw);
  return e;
}

// This thread's handle for the current device (created on first use, kept until the
// thread exits), bound to `stream`.
std::string handle_for(cudaStream_t stream, cudnnHandle_t* out);

}  // namespace dc::gpu::cudnn
