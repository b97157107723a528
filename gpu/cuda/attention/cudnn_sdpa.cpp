// cuDNN SDPA (see cudnn_sdpa.h): what cuDNN may take, the key mask as key lengths,
// the per-shape plan cache, execution. Without the cuDNN frontend, stubs that refuse.
#include "gpu/cuda/attention/cudnn_sdpa.h"

#include <atomic>

namespace dc::gpu {
namespace {
std::atomic<uint64_t> g_runs{0};
}  // namespace

uint64_t cudnn_sdpa_run_count() { return g_runs.load(); }

}  // namespace dc::gpu

#ifndef DC_HAVE_CUDNN_FRONTEND

namespace dc::gpu {

bool cudnn_sdpa_available(std::string* why) {
  if (why) *why = "built without the cuDNN frontend (CMake DC_CUDNN_FRONTEND; needs cuDNN)";
  return false;
}

std::string cudnn_sdpa(const AttentionParams&, const ScratchFn&, bool* supported, std::string* why) {
  *supported = false;
  cudnn_sdpa_available(why);
  return {};
}

}  // namespace dc::gpu

#else

// The frontend's JSON (de)serialization is unused here; skipping it keeps a second
// nlohmann::json out of the build.
#define CUDNN_FRONTEND_SKIP_JSON_LIB
#include <cudnn_frontend.h>

#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "gpu/cuda/common/status.h"

namespace dc::gpu {
namespace {

namespace fe = cudnn_frontend;

enum Uid : int64_t { kQ = 1, kK, kV, kO, kBias, kSeqLenQ, kSeqLenKV };

using Key = std::vector<int64_t>;

// The bias as cuDNN sees it: [bias_batch, bias_heads, q_len, kv_len] with these strides.
struct BiasLayout {
  int64_t batch = 1, heads = 1;
  int64_t strides[4] = {0, 0, 0, 1};
};

// One cached graph: built once per key, run many times.
struct Plan {
  bool supported = false;
  std::string why;
  std::shared_ptr<fe::graph::Graph> graph;
  int64_t workspace = 0;
  std::mutex run;  // one execution at a time per graph
};

struct Cache {
  std::mutex mutex;
  std::map<Key, std::unique_ptr<Plan>> plans;  // never erased: a Plan outlives its lookup
};

Cache& cache() {
  static Cache c;
  return c;
}

struct HandleDeleter {
  void operator()(cudnnContext* h) const { cudnnDestroy(h); }
};
using Handle = std::unique_ptr<cudnnContext, HandleDeleter>;

// This thread's handle for `device`, bound to `stream` (a handle serves one stream at a time).
std::string handle_for(int device, cudaStream_t stream, cudnnHandle_t* out) {
  thread_local std::map<int, Handle> handles;
  auto it = handles.find(device);
  if (it == handles.end()) {
    cudnnHandle_t h = nullptr;
    const cudnnStatus_t s = cudnnCreate(&h);
    if (s != CUDNN_STATUS_SUCCESS) return std::string("cudnn sdpa: cudnnCreate: ") + cudnnGetErrorString(s);
    it = handles.emplace(device, Handle(h)).first;
  }
  const cudnnStatus_t s = cudnnSetStream(it->second.get(), stream);
  if (s != CUDNN_STATUS_SUCCESS) return std::string("cudnn sdpa: cudnnSetStream: ") + cudnnGetErrorString(s);
  *out = it->second.get();
  return {};
}

bool aligned16(const void* ptr) { return reinterpret_cast<uintptr_t>(ptr) % 16 == 0; }

bool aligned_operand(const void* ptr, const TokenMajorStrides& s) {
  return aligned16(ptr) && s.batch % 8 == 0 && s.token % 8 == 0 && s.head % 8 == 0;
}

// The request's shape of problem, before the key mask is looked at ("" when cuDNN may take it).
std::string refusal(const AttentionParams& p, BiasLayout* bias) {
  if (p.dtype != DataType::kBF16 && p.dtype != DataType::kF16)
    return std::string("dtype ") + data_type_name(p.dtype) + " (bf16 and f16 are taken)";
  if (p.head_dim % 8 != 0 || p.head_dim > 256) return "head dim " + std::to_string(p.head_dim);
  if (p.causal && p.q_len != p.kv_len) return "causal with q_len != kv_len";
  if (!aligned_operand(p.q, p.q_strides) || !aligned_operand(p.k, p.k_strides) ||
      !aligned_operand(p.v, p.v_strides) || !aligned16(p.out))
    return "q/k/v/out not 16-byte aligned";
  if (p.bias) {
    const int64_t* s = p.bias_strides;
    if ((p.q_len > 1 && s[2] == 0) || (p.kv_len > 1 && s[3] != 1)) return "bias broadcast along queries or keys";
    if (!aligned16(p.bias) || s[0] % 4 != 0 || s[1] % 4 != 0 || s[2] % 4 != 0) return "bias rows not 16-byte aligned";
    bias->batch = s[0] == 0 ? 1 : p.batch;
    bias->heads = s[1] == 0 ? 1 : p.heads;
    bias->strides[2] = p.q_len > 1 ? s[2] : p.kv_len;
    bias->strides[1] = bias->heads > 1 ? s[1] : bias->strides[2] * p.q_len;
    bias->strides[0] = bias->batch > 1 ? s[0] : bias->strides[1] * bias->heads;
  }
  return {};
}

// Per-batch key lengths of a right-padding key mask ("" when it is one; false reasons otherwise).
std::string key_lengths(const AttentionParams& p, std::vector<int32_t>* lengths, bool* prefix) {
  std::vector<uint8_t> mask(static_cast<size_t>(p.batch * p.kv_len));
  DC_GPU_TRY(cuda_status(cudaMemcpyAsync(mask.data(), p.key_mask, mask.size(), cudaMemcpyDeviceToHost, p.stream),
                         "cudnn sdpa: key mask to host"));
  DC_GPU_TRY(cuda_status(cudaStreamSynchronize(p.stream), "cudnn sdpa: key mask to host"));
  *prefix = true;
  lengths->assign(static_cast<size_t>(p.batch), 0);
  for (int64_t b = 0; b < p.batch && *prefix; ++b) {
    const uint8_t* row = mask.data() + b * p.kv_len;
    int64_t n = 0;
    while (n < p.kv_len && row[n] != 0) ++n;
    for (int64_t j = n; j < p.kv_len; ++j) *prefix = *prefix && row[j] == 0;
    *prefix = *prefix && n > 0;  // a sample with no key: our kernel's zero rows
    (*lengths)[b] = static_cast<int32_t>(n);
  }
  return {};
}

Key key_of(const AttentionParams& p, int device, const BiasLayout& bias, bool padding) {
  uint32_t scale_bits = 0;
  std::memcpy(&scale_bits, &p.scale, sizeof scale_bits);
  Key k = {device, static_cast<int64_t>(p.dtype), p.batch, p.heads, p.q_len, p.kv_len, p.head_dim,
           p.q_strides.batch, p.q_strides.token, p.q_strides.head, p.k_strides.batch, p.k_strides.token,
           p.k_strides.head, p.v_strides.batch, p.v_strides.token, p.v_strides.head, p.causal, scale_bits,
           padding, p.bias != nullptr};
  if (p.bias) k.insert(k.end(), {bias.batch, bias.heads, bias.strides[0], bias.strides[1], bias.strides[2]});
  return k;
}

std::shared_ptr<fe::graph::Tensor_attributes> operand(fe::graph::Graph& g, const char* name, Uid uid,
                                                      int64_t batch, int64_t heads, int64_t tokens, int64_t dim,
                                                      const TokenMajorStrides& s) {
  return g.tensor(fe::graph::Tensor_attributes()
                      .set_name(name)
                      .set_uid(uid)
                      .set_dim({batch, heads, tokens, dim})
                      .set_stride({s.batch, s.head, s.token, 1}));
}

// Describes the problem as a cuDNN graph and builds its plan (heuristics' first choice).
void build(const AttentionParams& p, const BiasLayout& bias, bool padding, cudnnHandle_t handle, Plan* plan) {
  auto g = std::make_shared<fe::graph::Graph>();
  g->set_io_data_type(p.dtype == DataType::kBF16 ? fe::DataType_t::BFLOAT16 : fe::DataType_t::HALF)
      .set_intermediate_data_type(fe::DataType_t::FLOAT)
      .set_compute_data_type(fe::DataType_t::FLOAT);
  // cuDNN's layout is [b, h, s, d]; the token-major strides describe the same memory.
  auto q = operand(*g, "q", kQ, p.batch, p.heads, p.q_len, p.head_dim, p.q_strides);
  auto k = operand(*g, "k", kK, p.batch, p.heads, p.kv_len, p.head_dim, p.k_strides);
  auto v = operand(*g, "v", kV, p.batch, p.heads, p.kv_len, p.head_dim, p.v_strides);
  auto options = fe::graph::SDPA_attributes().set_name("attention").set_generate_stats(false).set_attn_scale(
      p.scale);
  if (p.causal) options.set_causal_mask(true);  // top-left: key j > query i is ignored
  if (p.bias) {
    options.set_bias(g->tensor(fe::graph::Tensor_attributes()
                                   .set_name("bias")
                                   .set_uid(kBias)
                                   .set_data_type(fe::DataType_t::FLOAT)
                                   .set_dim({bias.batch, bias.heads, p.q_len, p.kv_len})
                                   .set_stride({bias.strides[0], bias.strides[1], bias.strides[2], 1})));
  }
  if (padding) {
    auto lengths = [&](const char* name, Uid uid) {
      return g->tensor(fe::graph::Tensor_attributes()
                           .set_name(name)
                           .set_uid(uid)
                           .set_dim({p.batch, 1, 1, 1})
                           .set_stride({1, 1, 1, 1})
                           .set_data_type(fe::DataType_t::INT32));
    };
    options.set_padding_mask(true).set_seq_len_q(lengths("seq_len_q", kSeqLenQ)).set_seq_len_kv(
        lengths("seq_len_kv", kSeqLenKV));
  }
  auto outputs = g->sdpa(q, k, v, options);
  const int64_t row = p.heads * p.head_dim;  // out: contiguous [batch, q_len, heads, head_dim]
  outputs[0]->set_output(true).set_uid(kO).set_dim({p.batch, p.heads, p.q_len, p.head_dim}).set_stride(
      {p.q_len * row, p.head_dim, row, 1});

  auto step = [&](fe::error_t e, const char* what) {
    if (e.is_good()) return true;
    plan->why = std::string(what) + ": " + e.get_message();
    return false;
  };
  if (!step(g->validate(), "validate") || !step(g->build_operation_graph(handle), "operation graph") ||
      !step(g->create_execution_plans({fe::HeurMode_t::A}), "heuristics") ||
      !step(g->check_support(handle), "support") || !step(g->build_plans(handle), "plan") ||
      !step(g->get_workspace_size(plan->workspace), "workspace size"))
    return;
  plan->graph = std::move(g);
  plan->supported = true;
}

// The cached plan for the request, built on first use.
std::string plan_for(const AttentionParams& p, int device, const BiasLayout& bias, bool padding, cudnnHandle_t h,
                     Plan** out) {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  std::unique_ptr<Plan>& slot = c.plans[key_of(p, device, bias, padding)];
  if (!slot) {
    auto plan = std::make_unique<Plan>();
    try {
      build(p, bias, padding, h, plan.get());
    } catch (const std::exception& e) {  // the frontend may throw (allocation, bad attributes)
      plan->supported = false;
      plan->why = std::string("build threw: ") + e.what();
    }
    slot = std::move(plan);
  }
  *out = slot.get();
  return {};
}

size_t round_up(size_t bytes) { return (bytes + 255) / 256 * 256; }

}  // namespace

bool cudnn_sdpa_available(std::string* why) {
  if (cudnnGetVersion() < 90000) {
    if (why) *why = "cuDNN " + std::to_string(cudnnGetVersion()) + " at run time (9 or newer is needed)";
    return false;
  }
  return true;
}

std::string cudnn_sdpa(const AttentionParams& p, const ScratchFn& scratch, bool* supported, std::string* why) {
  *supported = false;
  auto refuse = [&](std::string reason) {
    if (why) *why = "cudnn sdpa: " + reason;
    return std::string();
  };
  if (!cudnn_sdpa_available(why)) return {};
  BiasLayout bias;
  if (std::string r = refusal(p, &bias); !r.empty()) return refuse(r);

  std::vector<int32_t> kv_lengths;
  bool padding = false;
  if (p.key_mask) {
    bool prefix = false;
    DC_GPU_TRY(key_lengths(p, &kv_lengths, &prefix));
    if (!prefix) return refuse("key mask is not right padding of at least one key per sample");
    for (int32_t n : kv_lengths) padding = padding || n < p.kv_len;  // all ones: no mask at all
  }

  int device = 0;
  DC_GPU_TRY(cuda_status(cudaGetDevice(&device), "cudnn sdpa: cudaGetDevice"));
  cudnnHandle_t handle = nullptr;
  DC_GPU_TRY(handle_for(device, p.stream, &handle));
  Plan* plan = nullptr;
  DC_GPU_TRY(plan_for(p, device, bias, padding, handle, &plan));
  if (!plan->supported) return refuse(plan->why);
  *supported = true;

  // Workspace: cuDNN's, then the int32 query and key lengths of the padding mask.
  const size_t cudnn_bytes = round_up(static_cast<size_t>(plan->workspace));
  const size_t length_bytes = round_up(static_cast<size_t>(p.batch) * sizeof(int32_t));
  const size_t total = cudnn_bytes + (padding ? 2 * length_bytes : 0);
  char* workspace = total > 0 ? static_cast<char*>(scratch(total)) : nullptr;

  std::unordered_map<int64_t, void*> pack = {{kQ, const_cast<void*>(p.q)},
                                             {kK, const_cast<void*>(p.k)},
                                             {kV, const_cast<void*>(p.v)},
                                             {kO, p.out}};
  if (p.bias) pack[kBias] = const_cast<float*>(p.bias);
  if (padding) {
    std::vector<int32_t> lengths(static_cast<size_t>(p.batch), static_cast<int32_t>(p.q_len));
    lengths.insert(lengths.end(), kv_lengths.begin(), kv_lengths.end());
    char* q_lengths = workspace + cudnn_bytes;
    char* k_lengths = q_lengths + length_bytes;
    // From pageable memory: the copy has taken the host bytes when the call returns.
    const size_t n = static_cast<size_t>(p.batch) * sizeof(int32_t);
    DC_GPU_TRY(cuda_status(cudaMemcpyAsync(q_lengths, lengths.data(), n, cudaMemcpyHostToDevice, p.stream),
                           "cudnn sdpa: sequence lengths"));
    DC_GPU_TRY(cuda_status(cudaMemcpyAsync(k_lengths, lengths.data() + p.batch, n, cudaMemcpyHostToDevice, p.stream),
                           "cudnn sdpa: sequence lengths"));
    pack[kSeqLenQ] = q_lengths;
    pack[kSeqLenKV] = k_lengths;
  }
  std::lock_guard<std::mutex> lock(plan->run);
  fe::error_t e;
  try {
    e = plan->graph->execute(handle, pack, workspace);
  } catch (const std::exception& ex) {
    return std::string("cudnn sdpa: execute threw: ") + ex.what();
  }
  if (!e.is_good()) return "cudnn sdpa: execute: " + e.get_message();
  g_runs.fetch_add(1);
  return {};
}

}  // namespace dc::gpu

#endif  // DC_HAVE_CUDNN_FRONTEND
