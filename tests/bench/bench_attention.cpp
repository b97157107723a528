// ops::attention micro-benchmark (our side) on the shapes the text encoders and
// FLUX run: median of CUDA-event timings after warm-up, TFLOP/s from
// 4·B·H·Lq·Lk·D (halved when causal), the convention flash attention and
// PyTorch use. q, k, v are the three slices of one fused [B, L, 3, H, D]
// projection, as the models pass them. bench_attention_torch.py times
// torch.nn.functional.scaled_dot_product_attention on the same shapes with the
// same columns.
//
// check: rel-L2 of 64 query rows of heads 0 and H-1 against the CPU reference on
// the same rounded inputs (f32 compute); about 3e-3 is the rounding of a bf16 output.
//
// DC_ATTENTION_BACKEND=cudnn|flash picks the CUDA backend (core/ops/cuda/attention.cpp) for A/B runs.
//
//   dc_bench_attention [--iters 20] [--warmup 5] [--dtype bf16|f16|f32] [--only flux_1024,t5_xxl]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "gpu/cuda/common/runtime.h"

namespace {

using namespace dc;

struct AttentionShape {
  const char* name;
  int64_t batch, tokens, heads, head_dim;
  bool causal;
};

// FLUX joint attention at 1024² and 2048² (4096 / 16384 image tokens + 512 text
// tokens), T5-XXL (512 tokens, 64 heads of 64) and CLIP-L (77 tokens, causal).
constexpr AttentionShape kShapes[] = {
    {"flux_1024", 1, 4096 + 512, 24, 128, false},
    {"flux_2048", 1, 16384 + 512, 24, 128, false},
    {"t5_xxl", 1, 512, 64, 64, false},
    {"clip_l", 1, 77, 12, 64, true},
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Query rows [r0, r0 + 64) of heads 0 and H-1 on the CPU against the same rows of `out`.
double spot_check(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& out, bool causal) {
  const int64_t l = q.size(1), h = q.size(2), rows = std::min<int64_t>(64, l), r0 = (l - rows) / 2;
  double worst = 0;
  for (int64_t head : {int64_t{0}, h - 1}) {
    auto host = [&](const Tensor& t, int64_t t0, int64_t t1) {
      return ops::to_device(ops::contiguous(t.slice(1, t0, t1).slice(2, head, head + 1)), Device::cpu());
    };
    // Causal rows see keys [0, r0 + rows); the CPU needs a square problem, so it runs
    // the leading block and only the last `rows` rows are compared.
    const int64_t k_end = causal ? r0 + rows : l;
    const Tensor qh = host(q, causal ? 0 : r0, r0 + rows);
    const Tensor want = ops::attention(qh, host(k, 0, k_end), host(v, 0, k_end), {.causal = causal});
    const Tensor want_rows = ops::contiguous(want.slice(1, want.size(1) - rows, want.size(1)));
    const Tensor got = host(out, r0, r0 + rows);
    worst = std::max(worst, ops::relative_l2(ops::cast(got, DType::kF32), ops::cast(want_rows, DType::kF32)));
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"attention micro-benchmark (ours)"};
  int warmup = 5, iters = 20;
  std::string dtype_name = "bf16";
  std::vector<std::string> only;
  app.add_option("--warmup", warmup);
  app.add_option("--iters", iters);
  app.add_option("--dtype", dtype_name, "bf16, f16 or f32");
  app.add_option("--only", only, "shape names")->delimiter(',');
  CLI11_PARSE(app, argc, argv);
  if (!cuda_available()) return std::fprintf(stderr, "no CUDA device\n"), 2;
  const DType dtype = dtype_from_name(dtype_name).value_or(DType::kBF16);
  const auto stream = static_cast<cudaStream_t>(current_cuda_stream());

  std::printf("%-10s %3s %3s %6s %4s %6s %9s %8s %9s\n", "shape", "B", "H", "L", "D", "causal", "ms", "TFLOP/s",
              "check");
  for (const AttentionShape& s : kShapes) {
    if (!only.empty() && std::find(only.begin(), only.end(), s.name) == only.end()) continue;
    const Tensor qkv = ops::randn({s.batch, s.tokens, 3, s.heads, s.head_dim}, 1234, dtype, Device::cuda());
    const Tensor q = qkv.select(2, 0), k = qkv.select(2, 1), v = qkv.select(2, 2);
    const ops::AttentionOptions options{.causal = s.causal};
    Tensor out;
    for (int i = 0; i < warmup; ++i) out = ops::attention(q, k, v, options);
    std::vector<double> times;
    for (int i = 0; i < iters; ++i) {
      gpu::Event start, stop;
      start.record(stream);
      out = ops::attention(q, k, v, options);
      stop.record(stream);
      stop.synchronize();
      times.push_back(stop.elapsed_ms_since(start));
    }
    const double ms = median(times);
    const double flop =
        4.0 * s.batch * s.heads * static_cast<double>(s.tokens) * s.tokens * s.head_dim * (s.causal ? 0.5 : 1.0);
    const double check = spot_check(q, k, v, out, s.causal);
    std::printf("%-10s %3ld %3ld %6ld %4ld %6s %9.3f %8.1f %9.2e\n", s.name, static_cast<long>(s.batch),
                static_cast<long>(s.heads), static_cast<long>(s.tokens), static_cast<long>(s.head_dim),
                s.causal ? "yes" : "no", ms, flop / ms / 1e9, check);
    std::fflush(stdout);
  }
  return 0;
}
