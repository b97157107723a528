// CUDA backend: attention, reading q, k, v through their strides. bf16/f16 go to
// cuDNN's fused SDPA (gpu/cuda/attention/cudnn_sdpa) when the build has it and cuDNN
// takes the case; everything else, and cuDNN's refusals, to our flash kernel
// (gpu/cuda/attention/flash_attention).
//
// DC_ATTENTION_BACKEND (read once) picks for A/B runs: unset or "auto" as above;
// "flash" never uses cuDNN; "cudnn" makes a cuDNN refusal of a bf16/f16 call an
// error (not_supported) instead of a silent switch to the flash kernel.
#include <cstdlib>
#include <cstring>

#include "core/base/log.h"
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/attention/cudnn_sdpa.h"
#include "gpu/cuda/attention/flash_attention.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

namespace {

gpu::TokenMajorStrides strides_of(const Tensor& t) { return {t.stride(0), t.stride(1), t.stride(2)}; }

enum class AttentionBackend { kAuto, kCudnn, kFlash };

AttentionBackend attention_backend() {
  static const AttentionBackend backend = [] {
    const char* v = std::getenv("DC_ATTENTION_BACKEND");
    if (!v || !*v || std::strcmp(v, "auto") == 0) return AttentionBackend::kAuto;
    if (std::strcmp(v, "cudnn") == 0) return AttentionBackend::kCudnn;
    if (std::strcmp(v, "flash") == 0) return AttentionBackend::kFlash;
    log(LogLevel::kWarning, std::string("DC_ATTENTION_BACKEND=") + v + " is not auto, cudnn or flash: using auto");
    return AttentionBackend::kAuto;
  }();
  return backend;
}

// cuDNN's turn: true when it ran the call.
bool try_cudnn(const gpu::AttentionParams& p, Device device) {
  const AttentionBackend backend = attention_backend();
  const bool low_precision = p.dtype == gpu::DataType::kBF16 || p.dtype == gpu::DataType::kF16;
  if (backend == AttentionBackend::kFlash || !low_precision) return false;
  Tensor workspace;  // freed (stream-ordered) after the launch
  auto scratch = [&](size_t bytes) {
    workspace = scratch_bytes(bytes, device);
    return workspace.data_ptr();
  };
  bool supported = false;
  std::string why;
  check(gpu::cudnn_sdpa(p, scratch, &supported, &why), "attention");
  if (!supported && backend == AttentionBackend::kCudnn)
    check_supported(false, why + " (DC_ATTENTION_BACKEND=cudnn)", "attention");
  return supported;
}

}  // namespace

void attention(const Tensor& out, const Tensor& q, const Tensor& k, const Tensor& v, float scale, bool causal,
               const Tensor& bias, const Tensor& key_mask) {
  if (out.numel() == 0) return;
  gpu::AttentionParams p;
  p.out = out.data_ptr();
  p.q = q.data_ptr();
  p.k = k.data_ptr();
  p.v = v.data_ptr();
  p.dtype = activation_type(q.dtype(), "attention");
  p.batch = q.size(0);
  p.q_len = q.size(1);
  p.heads = q.size(2);
  p.head_dim = q.size(3);
  p.kv_len = k.size(1);
  p.q_strides = strides_of(q);
  p.k_strides = strides_of(k);
  p.v_strides = strides_of(v);
  p.scale = scale;
  p.causal = causal;
  if (bias.defined()) {
    p.bias = bias.data<float>();
    for (int d = 0; d < 4; ++d) p.bias_strides[d] = bias.stride(d);
  }
  p.key_mask = key_mask.defined() ? key_mask.data<uint8_t>() : nullptr;
  p.stream = stream();
  if (try_cudnn(p, out.device())) return;
  std::string why;
  check_supported(gpu::flash_attention_can_run(p, &why), why, "attention");
  check(gpu::flash_attention(p), "attention");
}

}  // namespace dc::ops::cuda
