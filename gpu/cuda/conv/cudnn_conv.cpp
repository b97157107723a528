// cuDNN convolution (see cudnn_conv.h): per-call plans (descriptors + algorithm), the
// per-problem epilogue choice, and execution. Built empty without cuDNN.
#ifdef DC_HAVE_CUDNN

#include "gpu/cuda/conv/cudnn_conv.h"
#include "gpu/cuda/conv/conv_shape.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "gpu/cuda/common/runtime.h"
#include "gpu/cuda/common/status.h"
#include "gpu/cuda/conv/conv_prefill.h"
#include "gpu/cuda/conv/cudnn_conv_split.h"
#include "gpu/cuda/conv/cudnn_plan.h"
#include "gpu/cuda/conv/cudnn_util.h"

namespace dc::gpu {
namespace {

using namespace cudnn;

using Key = std::vector<int64_t>;

// Address mod 16: what an algorithm's vector width may depend on. Keys hold residues,
// not alignments, so a call's residue follows from its problem's (base + offset).
int64_t residue(const void* p) { return p ? static_cast<int64_t>(reinterpret_cast<uintptr_t>(p) % 16) : -1; }

const char* at(const void* base, int64_t elements, DataType t) {
  return static_cast<const char*>(base) + elements * data_type_bytes(t);
}

Key call_key(const CudnnConv2dParams& p, const ConvCall& c) {
  const void* r = p.residual ? at(p.residual, c.y_offset, p.dtype) : nullptr;
  return {static_cast<int64_t>(p.dtype), static_cast<int64_t>(p.layout), c.n, p.c_in, c.h, p.w, p.c_out, p.kh,
          p.kw, c.oh, p.ow, p.stride, c.pad_h, p.padding, p.groups, c.x_batch_stride, c.y_batch_stride,
          residue(at(p.x, c.x_offset, p.dtype)), residue(p.weight), residue(at(p.y, c.y_offset, p.dtype)),
          residue(r)};
}

Key problem_key(const CudnnConv2dParams& p) {
  return {static_cast<int64_t>(p.dtype), static_cast<int64_t>(p.layout), p.n, p.c_in, p.h, p.w, p.c_out, p.kh,
          p.kw, p.oh, p.ow, p.stride, p.padding, p.groups, p.bias != nullptr, p.residual != nullptr,
          residue(p.x), residue(p.weight), residue(p.y), residue(p.residual), residue(p.bias),
          max_tensor_elements(), static_cast<int64_t>(p.act)};
}

// Per-problem choice: which epilogue, the calls' plans, the workspace they need.
struct ProblemPlan {
  bool supported = false;
  std::string why;
  Epilogue epilogue = Epilogue::kNone;
  size_t workspace = 0;
  std::string summary;
};

struct Cache {
  std::mutex mutex;
  std::map<Key, std::unique_ptr<CallPlan>> calls;  // never erased: plans outlive lookups
  std::map<Key, ProblemPlan> problems;
};

Cache& cache() {
  static Cache c;
  return c;
}

// DC_CUDNN_EPILOGUE=prefill|fused forces the epilogue (for measurements); default: timed.
Epilogue forced_epilogue() {
  static const Epilogue forced = [] {
    const char* v = std::getenv("DC_CUDNN_EPILOGUE");
    if (v && std::strcmp(v, "prefill") == 0) return Epilogue::kPrefill;
    if (v && std::strcmp(v, "fused") == 0) return Epilogue::kFused;
    return Epilogue::kNone;
  }();
  return forced;
}

struct Calls {
  ConvSplit split;
  std::vector<CallPlan*> main, seams;
};

// Bytes of zero bias the fused epilogue needs when the conv has no bias (after the cuDNN workspace).
size_t zero_bias_bytes(const CudnnConv2dParams& p) {
  return p.bias ? 0 : static_cast<size_t>(p.c_out) * data_type_bytes(p.dtype) + 256;
}

size_t workspace_for(const CudnnConv2dParams& p, const Calls& calls, Epilogue e) {
  size_t bytes = 0;
  for (const auto* list : {&calls.main, &calls.seams})
    for (const CallPlan* c : *list) bytes = std::max(bytes, e == Epilogue::kFused ? c->fused_workspace : c->workspace);
  bytes = (bytes + 255) / 256 * 256;
  return e == Epilogue::kFused ? bytes + zero_bias_bytes(p) : bytes;
}

std::string prefill(const CudnnConv2dParams& p, int64_t offset, int64_t count) {
  ConvPrefillParams f;
  f.y = p.y, f.residual = p.residual, f.bias = p.bias, f.dtype = p.dtype;
  f.offset = offset, f.count = count, f.channels = p.c_out;
  f.channel_stride = p.layout == ConvLayout::kNHWC ? 1 : p.oh * p.ow;
  f.stream = p.stream;
  return conv_prefill(f);
}

// The whole problem with one epilogue; `workspace_bytes` of p.workspace are the calls'.
std::string run_problem(cudnnHandle_t h, const CudnnConv2dParams& p, const Calls& calls, Epilogue e,
                        size_t workspace_bytes) {
  CallBuffers b;
  b.weight = p.weight, b.bias = p.bias;
  b.workspace = p.workspace, b.workspace_bytes = workspace_bytes;
  if (e == Epilogue::kFused && !p.bias) {
    const size_t conv_bytes = (workspace_bytes - zero_bias_bytes(p) + 255) / 256 * 256;
    void* zeros = static_cast<char*>(p.workspace) + conv_bytes;
    DC_GPU_TRY(cuda_status(cudaMemsetAsync(zeros, 0, p.c_out * data_type_bytes(p.dtype), p.stream),
                           "conv2d: zero bias"));
    b.bias = zeros;
    b.workspace_bytes = conv_bytes;
  }
  const bool relu_fused = e == Epilogue::kFused && p.act == ActivationKind::kReLU;
  const bool accumulate = e == Epilogue::kPrefill;
  if (accumulate) DC_GPU_TRY(prefill(p, 0, p.n * p.c_out * p.oh * p.ow));
  auto bind = [&](const ConvCall& c) {
    b.x = at(p.x, c.x_offset, p.dtype);
    b.y = const_cast<char*>(at(p.y, c.y_offset, p.dtype));
    b.residual = p.residual ? at(p.residual, c.y_offset, p.dtype) : nullptr;
  };
  for (size_t i = 0; i < calls.main.size(); ++i) {
    bind(calls.split.main[i]);
    DC_GPU_TRY(run_call(h, *calls.main[i], b, e, relu_fused));
  }
  for (size_t i = 0; i < calls.seams.size(); ++i) {
    const ConvCall& c = calls.split.seams[i];
    if (accumulate) DC_GPU_TRY(prefill(p, c.y_offset, c.n * c.y_batch_stride));  // the fold pass added to these rows
    bind(c);
    DC_GPU_TRY(run_call(h, *calls.seams[i], b, e, relu_fused));
  }
  if (p.act == ActivationKind::kIdentity || relu_fused) return {};
  PointwiseParams a;  // in place, after the seams: every element once
  a.out = p.y, a.x = p.y, a.dtype = p.dtype, a.count = p.n * p.c_out * p.oh * p.ow, a.act = p.act;
  a.stream = p.stream;
  return pointwise(a);
}

// Median-free but warm: the faster of two timed runs after one untimed one.
std::string time_problem(cudnnHandle_t h, const CudnnConv2dParams& p, const Calls& calls, Epilogue e,
                         size_t workspace_bytes, float* ms) {
  DC_GPU_TRY(run_problem(h, p, calls, e, workspace_bytes));
  *ms = 1e30f;
  for (int i = 0; i < 2; ++i) {
    Event start, stop;
    start.record(p.stream);
    DC_GPU_TRY(run_problem(h, p, calls, e, workspace_bytes));
    stop.record(p.stream);
    stop.synchronize();
    *ms = std::min(*ms, stop.elapsed_ms_since(start));
  }
  return cuda_status(cudaGetLastError(), "conv2d: timing");
}

// Plans every call (finding algorithms on p's buffers), then picks the epilogue.
// Caller holds the cache lock.
std::string plan_problem(cudnnHandle_t h, const CudnnConv2dParams& p, Calls* calls, ProblemPlan* out) {
  Cache& c = cache();
  auto plan_calls = [&](const std::vector<ConvCall>& list, std::vector<CallPlan*>* plans) -> std::string {
    for (const ConvCall& call : list) {
      std::unique_ptr<CallPlan>& slot = c.calls[call_key(p, call)];
      if (!slot) {
        auto plan = std::make_unique<CallPlan>();
        CallBuffers b;
        b.x = at(p.x, call.x_offset, p.dtype), b.weight = p.weight;
        b.y = const_cast<char*>(at(p.y, call.y_offset, p.dtype));
        b.workspace = p.workspace, b.workspace_bytes = p.workspace_bytes;
        DC_GPU_TRY(make_call_plan(h, p, call, b, plan.get()));
        slot = std::move(plan);
      }
      plans->push_back(slot.get());
    }
    return {};
  };
  DC_GPU_TRY(plan_calls(calls->split.main, &calls->main));
  DC_GPU_TRY(plan_calls(calls->split.seams, &calls->seams));
  bool fused_possible = true;
  for (const auto* list : {&calls->main, &calls->seams}) {
    for (const CallPlan* plan : *list) {
      if (!plan->supported) {
        out->supported = false;
        out->why = plan->why;
        return {};
      }
      fused_possible = fused_possible && plan->fused_possible;
    }
  }
  out->supported = true;
  // The fused entry point also serves convs without bias or residual (zero bias,
  // alpha2 = 0): on H100 it reached faster kernels than cudnnConvolutionForward's
  // choice for the same algorithm (res128: 6.8 vs 7.5 ms), so it is timed for all.
  const Epilogue base = (p.bias || p.residual) ? Epilogue::kPrefill : Epilogue::kNone;
  out->epilogue = base;
  const size_t fused_bytes = workspace_for(p, *calls, Epilogue::kFused);
  fused_possible = fused_possible && fused_bytes <= p.workspace_bytes;
  const char* names[] = {"plain", "prefill", "fused"};
  char text[200];
  if (fused_possible && forced_epilogue() != Epilogue::kPrefill) {
    float base_ms = 0, fused_ms = 0;
    if (forced_epilogue() != Epilogue::kFused)
      DC_GPU_TRY(time_problem(h, p, *calls, base, workspace_for(p, *calls, base), &base_ms));
    const std::string fused_error = time_problem(h, p, *calls, Epilogue::kFused, fused_bytes, &fused_ms);
    cudaGetLastError();
    if (fused_error.empty() && (forced_epilogue() == Epilogue::kFused || fused_ms < base_ms))
      out->epilogue = Epilogue::kFused;
    std::snprintf(text, sizeof(text), "epilogue %s (%s %.3f ms, fused %s)", names[static_cast<int>(out->epilogue)],
                  names[static_cast<int>(base)], base_ms,
                  fused_error.empty() ? std::to_string(fused_ms).c_str() : fused_error.c_str());
  } else {
    std::snprintf(text, sizeof(text), "epilogue %s (fused not possible or not asked)",
                  names[static_cast<int>(out->epilogue)]);
  }
  out->workspace = workspace_for(p, *calls, out->epilogue);
  out->summary = std::to_string(calls->main.size()) + " call(s) + " + std::to_string(calls->seams.size()) +
                 " seam(s), " + calls->main[0]->summary + ", " + text;
  return {};
}

}  // namespace

bool cudnn_conv2d_can_run(const CudnnConv2dParams& p, std::string* why) {
  auto fail = [why](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  if (!conv_shape_ok(p, why)) return false;
  for (int64_t d : {p.n, p.c_in, p.h, p.w, p.c_out, p.kh, p.kw, p.oh, p.ow})
    if (d > INT_MAX) return fail("a dimension exceeds int32");
  ConvSplit split;
  const std::string e = split_conv(p, &split);
  if (!e.empty()) return fail(e);
  return true;
}

std::string cudnn_conv2d_workspace_bytes(const CudnnConv2dParams& p, size_t* bytes, bool* supported) {
  *bytes = 0;
  *supported = true;
  std::string why;
  if (!cudnn_conv2d_can_run(p, &why)) {
    *supported = false;
    return {};
  }
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  auto it = c.problems.find(problem_key(p));
  if (it == c.problems.end()) {
    *bytes = kCudnnSelectWorkspaceBytes;
  } else {
    *supported = it->second.supported;
    *bytes = it->second.workspace;
  }
  return {};
}

std::string cudnn_conv2d(const CudnnConv2dParams& p, bool* supported, std::string* summary) {
  *supported = true;
  std::string why;
  if (!cudnn_conv2d_can_run(p, &why)) return "conv2d (cuDNN): " + why;
  Calls calls;
  DC_GPU_TRY(split_conv(p, &calls.split));
  cudnnHandle_t h = nullptr;
  DC_GPU_TRY(handle_for(p.stream, &h));
  ProblemPlan plan;
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    auto it = c.problems.find(problem_key(p));
    if (it == c.problems.end()) {
      if (p.workspace_bytes < kCudnnSelectWorkspaceBytes)
        return "conv2d (cuDNN): first call for a shape needs kCudnnSelectWorkspaceBytes of workspace";
      DC_GPU_TRY(plan_problem(h, p, &calls, &plan));
      c.problems[problem_key(p)] = plan;
    } else {
      plan = it->second;
      auto lookup = [&](const std::vector<ConvCall>& list, std::vector<CallPlan*>* plans) {
        for (const ConvCall& call : list) {
          auto found = c.calls.find(call_key(p, call));
          if (found == c.calls.end() || !found->second) return false;
          plans->push_back(found->second.get());
        }
        return true;
      };
      if (plan.supported && !(lookup(calls.split.main, &calls.main) && lookup(calls.split.seams, &calls.seams)))
        return "conv2d (cuDNN): internal: a call of a planned problem has no plan";
    }
  }
  if (summary) *summary = plan.supported ? plan.summary : "not supported: " + plan.why;
  if (!plan.supported) {
    *supported = false;
    return {};
  }
  if (p.workspace_bytes < plan.workspace) return "conv2d (cuDNN): workspace smaller than cudnn_conv2d_workspace_bytes()";
  return run_problem(h, p, calls, plan.epilogue, plan.workspace);
}

size_t cudnn_version() { return cudnnGetVersion(); }

}  // namespace dc::gpu

#endif  // DC_HAVE_CUDNN
