// One cuDNN call: descriptors, algorithm choice (FindEx), execution; the per-thread handle.
#ifdef DC_HAVE_CUDNN

#include "gpu/cuda/conv/cudnn_plan.h"

#include <cstdio>
#include <map>

namespace dc::gpu::cudnn {

std::string handle_for(cudaStream_t stream, cudnnHandle_t* out) {
  // Per thread: a cuDNN handle is bound to one stream at a time.
  thread_local std::map<int, Handle> handles;
  int device = 0;
  DC_GPU_TRY(cuda_status(cudaGetDevice(&device), "conv2d: cudaGetDevice"));
  auto it = handles.find(device);
  if (it == handles.end()) {
    cudnnHandle_t h = nullptr;
    DC_CUDNN_TRY(cudnnCreate(&h), "cudnnCreate");
    it = handles.emplace(device, Handle(h)).first;
  }
  DC_CUDNN_TRY(cudnnSetStream(it->second.get(), stream), "cudnnSetStream");
  *out = it->second.get();
  return {};
}

namespace {

cudnnDataType_t data_type(DataType t) {
  switch (t) {
    case DataType::kBF16: return CUDNN_DATA_BFLOAT16;
    case DataType::kF16: return CUDNN_DATA_HALF;
    default: return CUDNN_DATA_FLOAT;
  }
}

// f32 never uses tensor cores here (TF32 would break the 1e-4 parity); bf16/f16 do.
cudnnMathType_t tensor_math(DataType t) { return t == DataType::kF32 ? CUDNN_FMA_MATH : CUDNN_TENSOR_OP_MATH; }

bool is_unsupported(cudnnStatus_t s) {
  const int category = CUDNN_STATUS_CATEGORY(s);
  return category == CUDNN_STATUS_NOT_SUPPORTED || category == CUDNN_STATUS_BAD_PARAM;
}

const char* algo_name(cudnnConvolutionFwdAlgo_t a) {
  static const char* names[] = {"implicit_gemm", "implicit_precomp_gemm", "gemm", "direct",
                                "fft", "fft_tiling", "winograd", "winograd_nonfused"};
  const int i = static_cast<int>(a);
  return i >= 0 && i < 8 ? names[i] : "?";
}

int i32(int64_t v) { return static_cast<int>(v); }

std::string describe(const CudnnConv2dParams& p, const ConvCall& call, CallPlan* plan) {
  const cudnnDataType_t dt = data_type(p.dtype);
  DC_GPU_TRY(make(&plan->x));
  DC_GPU_TRY(make(&plan->y));
  DC_GPU_TRY(make(&plan->bias));
  DC_GPU_TRY(make(&plan->w));
  DC_GPU_TRY(make(&plan->conv));
  DC_GPU_TRY(make(&plan->conv_fused));
  DC_GPU_TRY(make(&plan->identity));
  DC_GPU_TRY(make(&plan->relu));
  const bool nhwc = p.layout == ConvLayout::kNHWC;
  // NHWC strides [batch, 1, W·C, C]; NCHW [batch, H·W, W, 1] (dims stay N, C, H, W).
  DC_CUDNN_TRY(cudnnSetTensor4dDescriptorEx(plan->x.get(), dt, i32(call.n), i32(p.c_in), i32(call.h), i32(p.w),
                                            i32(call.x_batch_stride), nhwc ? 1 : i32(call.h * p.w),
                                            nhwc ? i32(p.w * p.c_in) : i32(p.w), nhwc ? i32(p.c_in) : 1),
               "x descriptor");
  DC_CUDNN_TRY(cudnnSetTensor4dDescriptorEx(plan->y.get(), dt, i32(call.n), i32(p.c_out), i32(call.oh), i32(p.ow),
                                            i32(call.y_batch_stride), nhwc ? 1 : i32(call.oh * p.ow),
                                            nhwc ? i32(p.ow * p.c_out) : i32(p.ow), nhwc ? i32(p.c_out) : 1),
               "y descriptor");
  DC_CUDNN_TRY(cudnnSetFilter4dDescriptor(plan->w.get(), dt, nhwc ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW,
                                          i32(p.c_out), i32(p.c_in / p.groups), i32(p.kh), i32(p.kw)),
               "filter descriptor");
  DC_CUDNN_TRY(cudnnSetTensor4dDescriptor(plan->bias.get(), CUDNN_TENSOR_NCHW, dt, 1, i32(p.c_out), 1, 1),
               "bias descriptor");
  for (cudnnConvolutionDescriptor_t c : {plan->conv.get(), plan->conv_fused.get()}) {
    DC_CUDNN_TRY(cudnnSetConvolution2dDescriptor(c, call.pad_h, p.padding, p.stride, p.stride, 1, 1,
                                                 CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                 "convolution descriptor");
    DC_CUDNN_TRY(cudnnSetConvolutionGroupCount(c, p.groups), "group count");
    DC_CUDNN_TRY(cudnnSetConvolutionMathType(c, tensor_math(p.dtype)), "math type");
  }
  DC_CUDNN_TRY(cudnnSetActivationDescriptor(plan->identity.get(), CUDNN_ACTIVATION_IDENTITY, CUDNN_NOT_PROPAGATE_NAN,
                                            0.0),
               "activation descriptor");
  DC_CUDNN_TRY(cudnnSetActivationDescriptor(plan->relu.get(), CUDNN_ACTIVATION_RELU, CUDNN_NOT_PROPAGATE_NAN, 0.0),
               "activation descriptor");
  int n = 0, c = 0, h = 0, w = 0;
  DC_CUDNN_TRY(cudnnGetConvolution2dForwardOutputDim(plan->conv.get(), plan->x.get(), plan->w.get(), &n, &c, &h, &w),
               "output size");
  if (n != call.n || c != p.c_out || h != call.oh || w != p.ow) return "conv2d (cuDNN): output size disagrees with cuDNN";
  return {};
}

}  // namespace

std::string make_call_plan(cudnnHandle_t h, const CudnnConv2dParams& p, const ConvCall& call, const CallBuffers& b,
                           CallPlan* plan) {
  const std::string described = describe(p, call, plan);
  if (!described.empty()) {  // a descriptor cuDNN refuses: not for cuDNN, the caller falls back
    plan->why = described;
    return {};
  }
  cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT] = {};
  int found = 0;
  const cudnnStatus_t s = cudnnFindConvolutionForwardAlgorithmEx(
      h, plan->x.get(), b.x, plan->w.get(), b.weight, plan->conv.get(), plan->y.get(), b.y,
      CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &found, perf, b.workspace, b.workspace_bytes);
  if (s != CUDNN_STATUS_SUCCESS) {
    plan->why = status(s, "cudnnFindConvolutionForwardAlgorithmEx");
    cudaGetLastError();
    return is_unsupported(s) ? std::string() : plan->why;
  }
  for (int i = 0; i < found && !plan->supported; ++i) {  // fastest first
    const cudnnConvolutionFwdAlgoPerf_t& r = perf[i];
    if (r.status != CUDNN_STATUS_SUCCESS || r.memory > b.workspace_bytes) continue;
    cudnnMathType_t math = r.mathType;
    if (p.dtype == DataType::kF32) {
      if (math == CUDNN_TENSOR_OP_MATH || math == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;
      math = CUDNN_FMA_MATH;
    }
    size_t need = 0;
    if (cudnnSetConvolutionMathType(plan->conv.get(), math) != CUDNN_STATUS_SUCCESS ||
        cudnnGetConvolutionForwardWorkspaceSize(h, plan->x.get(), plan->w.get(), plan->conv.get(), plan->y.get(),
                                                r.algo, &need) != CUDNN_STATUS_SUCCESS ||
        need > b.workspace_bytes)
      continue;
    plan->supported = true;
    plan->algo = r.algo;
    plan->workspace = need;
    char text[128];
    std::snprintf(text, sizeof(text), "%s %s %.3f ms, %.1f MiB", algo_name(r.algo),
                  math == CUDNN_TENSOR_OP_MATH ? "tensor-op" : math == CUDNN_FMA_MATH ? "fma" : "default", r.time,
                  static_cast<double>(need) / (1 << 20));
    plan->summary = text;
  }
  if (!plan->supported) plan->why = "cuDNN found no algorithm (" + std::to_string(found) + " tried)";
  size_t fused = 0;
  if (cudnnGetConvolutionForwardWorkspaceSize(h, plan->x.get(), plan->w.get(), plan->conv_fused.get(), plan->y.get(),
                                              CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM,
                                              &fused) == CUDNN_STATUS_SUCCESS) {
    plan->fused_possible = true;
    plan->fused_workspace = fused;
  }
  return cuda_status(cudaGetLastError(), "conv2d (cuDNN): algorithm search");
}

std::string run_call(cudnnHandle_t h, const CallPlan& plan, const CallBuffers& b, Epilogue e, bool relu) {
  const float one = 1.0f;
  if (e == Epilogue::kFused) {
    const float alpha2 = b.residual ? 1.0f : 0.0f;
    const void* z = b.residual ? b.residual : b.y;
    return status(cudnnConvolutionBiasActivationForward(
                      h, &one, plan.x.get(), b.x, plan.w.get(), b.weight, plan.conv_fused.get(),
                      CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM, b.workspace, b.workspace_bytes, &alpha2,
                      plan.y.get(), z, plan.bias.get(), b.bias, relu ? plan.relu.get() : plan.identity.get(), plan.y.get(), b.y),
                  "cudnnConvolutionBiasActivationForward");
  }
  const float beta = e == Epilogue::kPrefill ? 1.0f : 0.0f;
  return status(cudnnConvolutionForward(h, &one, plan.x.get(), b.x, plan.w.get(), b.weight, plan.conv.get(), plan.algo,
                                        b.workspace, b.workspace_bytes, &beta, plan.y.get(), b.y),
                "cudnnConvolutionForward");
}

}  // namespace dc::gpu::cudnn

#endif  // DC_HAVE_CUDNN
