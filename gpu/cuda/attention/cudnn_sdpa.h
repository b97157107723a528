// Dense softmax attention through cuDNN's fused SDPA (the cuDNN frontend graph API's
// `sdpa` node): the request flash_attention takes (AttentionParams: token-major
// strided q/k/v, contiguous out, scale, causal, f32 additive bias, u8 key mask), run by
// cuDNN's own flash-attention engines. Scores and softmax in f32; like our kernel,
// cuDNN rounds the probabilities to the input type before the P·V product.
//
// What cuDNN takes here (anything else comes back as *supported = false, out untouched,
// and the caller runs flash_attention):
//   - bf16/f16, head_dim a multiple of 8 up to 256; q/k/v/out 16-byte aligned with
//     strides in multiples of 8 elements; causal only with q_len == kv_len (top-left);
//   - bias: f32 [1|B, 1|H, q_len, kv_len] (batch and head may broadcast, query and key
//     may not), unit key stride, 16-byte aligned rows;
//   - key_mask: right padding only (each batch's mask is ones then zeros, at least one
//     one), passed to cuDNN as per-batch key lengths. Reading the mask costs one
//     device-to-host copy and a stream synchronization; an all-ones mask is dropped.
// Plans (graph + execution plan) are built on first use per shape, strides, options and
// device, and cached for the process; refusals are cached too.
//
// Builds without the cuDNN frontend (CMake DC_CUDNN_FRONTEND) compile this API with
// cudnn_sdpa_available() false.
//
//   Tensor ws;  // caller-owned scratch, freed stream-ordered after the launch
//   bool ok = false;
//   std::string e = gpu::cudnn_sdpa(p, [&](size_t n) { ws = alloc(n); return ws.data(); }, &ok, &why);
//   if (e.empty() && !ok) e = gpu::flash_attention(p);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "gpu/cuda/attention/flash_attention.h"

namespace dc::gpu {

// Device scratch of at least `bytes` (16-byte aligned), valid until the work queued on
// the call's stream has run.
using ScratchFn = std::function<void*(size_t bytes)>;

// Whether this build has cuDNN SDPA (with the reason when not).
bool cudnn_sdpa_available(std::string* why);

// Runs attention through cuDNN. When cuDNN does not take the case, returns "" with
// *supported = false and the reason in *why (optional); nothing is written then.
// Otherwise *supported = true and the result is "" or an error.
std::string cudnn_sdpa(const AttentionParams& p, const ScratchFn& scratch, bool* supported,
                       std::string* why = nullptr);

// Attention calls cudnn_sdpa has run in this process (tests check the dispatch with it).
uint64_t cudnn_sdpa_run_count();

}  // namespace dc::gpu
