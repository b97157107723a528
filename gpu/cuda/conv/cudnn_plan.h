// Private to gpu/cuda/conv (cuDNN builds only): the plan of one cuDNN call — its
// descriptors, the algorithm FindEx chose, whether the fused bias/residual epilogue
// takes the shape — and running it.
#pragma once

#include <cudnn.h>

#include <string>

#include "gpu/cuda/conv/cudnn_conv.h"
#include "gpu/cuda/conv/cudnn_conv_split.h"
#include "gpu/cuda/conv/cudnn_util.h"

namespace dc::gpu::cudnn {

// How bias and residual reach y.
enum class Epilogue : uint8_t {
  kNone,     // neither: y = conv (beta = 0)
  kPrefill,  // y = residual + bias written first, then y += conv (beta = 1)
  kFused,    // cudnnConvolutionBiasActivationForward: y = act(conv + z + bias), act identity or ReLU
};

// The pointers of one call (sub-views of the problem's tensors).
struct CallBuffers {
  const void* x = nullptr;
  const void* weight = nullptr;
  const void* bias = nullptr;      // kFused: never null (zeros when the conv has none)
  const void* residual = nullptr;  // kFused: z (null: z = y with alpha2 = 0)
  void* y = nullptr;
  void* workspace = nullptr;
  size_t workspace_bytes = 0;
};

struct CallPlan {
  TensorDesc x, y, bias;
  FilterDesc w;
  ConvDesc conv;        // math type of the chosen algorithm
  ConvDesc conv_fused;  // tensor-op (bf16/f16) or FMA (f32) math, for the fused epilogue
  ActivationDesc identity;
  ActivationDesc relu;
  bool supported = false;
  std::string why;  // when not supported
  cudnnConvolutionFwdAlgo_t algo = CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM;
  size_t workspace = 0;
  bool fused_possible = false;  // implicit precomputed GEMM accepts the shape
  size_t fused_workspace = 0;
  std::string summary;  // "algo 1 tensor-op, 0.1 MiB workspace"
};

// Describes `call` of `p` and finds its algorithm by running cuDNN's candidates on `b`
// (b.y is overwritten; b.workspace bounds the algorithms tried). A shape cuDNN cannot
// take comes back as plan->supported = false, not as an error.
std::string make_call_plan(cudnnHandle_t h, const CudnnConv2dParams& p, const ConvCall& call, const CallBuffers& b,
                           CallPlan* plan);

// One call: y = conv(x) (beta 0), y += conv(x) (kPrefill), or the fused epilogue
// (with ReLU when `relu`, identity otherwise).
std::string run_call(cudnnHandle_t h, const CallPlan& plan, const CallBuffers& b, Epilogue e, bool relu = false);

}  // namespace dc::gpu::cudnn
