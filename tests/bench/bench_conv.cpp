// conv2d micro-benchmark (our side) on the DC-AE decoder's shapes at 4096² output:
// bf16, N = 1, channels-last by default; median of CUDA-event timings after warm-up
// (the first call per shape also chooses the cuDNN plan), TFLOP/s from the direct
// conv's 2·Cout·OH·OW·(Cin/g)·kh·kw. bench_conv_torch.py times the same shapes with
// torch.nn.functional.conv2d; bench_conv_compare.sh runs both and joins the tables.
//
// For images past cuDNN's 2^31-element limit (the split path), a band of rows around
// each possible fold cut and at the edges is recomputed by a small conv and compared.
//
//   dc_bench_conv [--iters 10] [--layout nhwc|nchw] [--act relu|silu|...] [--only res128,up256]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/base/log.h"
#include "core/ops/conv.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "gpu/cuda/common/runtime.h"
#include "tests/bench/bench_conv_shapes.h"

namespace {

using namespace dc;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Output rows [r0, r1) of the full result against a conv of just the input rows they
// need (same padding, so only rows whose window touches the band edge differ: skipped).
double band_error(const bench::ConvShape& s, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& r,
                  const Tensor& y, int64_t r0, int64_t r1, ops::Activation act) {
  const int64_t h = x.size(2), p = s.padding;
  const int64_t i0 = std::max<int64_t>(0, r0 - p), i1 = std::min<int64_t>(h, r1 + p);
  const Tensor yb = ops::conv2d(x.slice(2, i0, i1), w, b, {1, static_cast<int>(p), s.groups, act},
                                r.defined() ? r.slice(2, i0, i1) : Tensor());
  const int64_t keep0 = i0 == 0 ? 0 : p, keep1 = (i1 - i0) - (i1 == h ? 0 : p);
  const Tensor got = ops::to_device(ops::contiguous(y.slice(2, i0 + keep0, i0 + keep1)), Device::cpu());
  const Tensor want = ops::to_device(ops::contiguous(yb.slice(2, keep0, keep1)), Device::cpu());
  return ops::relative_l2(got, want);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"conv2d micro-benchmark (ours)"};
  int warmup = 2, iters = 10;
  std::string layout = "nhwc", dtype_name = "bf16", act_name = "identity";
  std::vector<std::string> only;
  app.add_option("--warmup", warmup);
  app.add_option("--iters", iters);
  app.add_option("--layout", layout, "nhwc (channels-last) or nchw");
  app.add_option("--dtype", dtype_name);
  app.add_option("--act", act_name, "activation fused into every conv (identity, relu, silu, gelu...)");
  app.add_option("--only", only, "shape names")->delimiter(',');
  CLI11_PARSE(app, argc, argv);
  if (!cuda_available()) return std::fprintf(stderr, "no CUDA device\n"), 2;
  const DType dtype = dtype_from_name(dtype_name).value_or(DType::kBF16);
  const Device gpu = Device::cuda();
  const auto act = ops::activation_from_name(act_name);
  if (!act) return std::fprintf(stderr, "unknown activation %s\n", act_name.c_str()), 2;
  set_log_level(LogLevel::kDebug);
  set_log_sink([](LogLevel, std::string_view m) {
    if (m.rfind("conv2d cuDNN", 0) == 0) std::fprintf(stderr, "  plan: %.*s\n", static_cast<int>(m.size()), m.data());
  });

  std::printf("%-10s %-28s %9s %8s %9s\n", "shape", "conv", "ours_ms", "TFLOP/s", "check");
  for (const bench::ConvShape& s : bench::kConvShapes) {
    if (!only.empty() && std::find(only.begin(), only.end(), s.name) == only.end()) continue;
    const int64_t oh = (s.size + 2 * s.padding - s.kernel) / s.stride + 1;
    const uint64_t seed = std::hash<std::string>()(s.name);
    auto make = [&](const Shape& shape, float scale, uint64_t salt, bool activation) {
      Tensor t = ops::randn(shape, seed + salt, dtype, gpu);
      if (scale != 1.0f) t = ops::scale(t, scale);
      return activation && layout == "nhwc" ? ops::to_channels_last(t) : t;
    };
    const float fan_in = static_cast<float>(s.c_in / s.groups * s.kernel * s.kernel);
    Tensor x = make({1, s.c_in, s.size, s.size}, 1.0f, 1, true);
    Tensor w = make({s.c_out, s.c_in / s.groups, s.kernel, s.kernel}, 1.0f / std::sqrt(fan_in), 2, false);
    Tensor b = s.bias ? make({s.c_out}, 0.1f, 3, false) : Tensor();
    Tensor r = s.residual ? make({1, s.c_out, oh, oh}, 1.0f, 4, true) : Tensor();
    const ops::Conv2dOptions opt{s.stride, s.padding, s.groups, *act};
    Tensor y;
    for (int i = 0; i < warmup; ++i) y = ops::conv2d(x, w, b, opt, r);
    const auto stream = static_cast<cudaStream_t>(current_cuda_stream());
    std::vector<double> times;
    for (int i = 0; i < iters; ++i) {
      y = Tensor();
      gpu::Event start, stop;
      start.record(stream);
      y = ops::conv2d(x, w, b, opt, r);
      stop.record(stream);
      stop.synchronize();
      times.push_back(stop.elapsed_ms_since(start));
    }
    const double ms = median(times);
    const double flop = 2.0 * s.c_out * oh * oh * (s.c_in / s.groups) * s.kernel * s.kernel;
    std::string check = "-";
    const bool split = x.numel() > 2147483647 || y.numel() > 2147483647;
    if (split && s.stride == 1 && layout == "nhwc") {  // bands at the edges and at cuts for 2, 4, 8 folds
      double worst = 0;
      for (int64_t c : {int64_t{0}, oh / 8, oh / 4, 3 * oh / 8, oh / 2, 5 * oh / 8, 3 * oh / 4, 7 * oh / 8, oh})
        worst = std::max(worst, band_error(s, x, w, b, r, y, std::max<int64_t>(0, c - 6), std::min(oh, c + 6), *act));
      char text[32];
      std::snprintf(text, sizeof(text), "%.2e", worst);
      check = text;
    }
    char conv[64];
    std::snprintf(conv, sizeof(conv), "%ldx%ld %ld->%ld @%ld s%d g%d%s%s", static_cast<long>(s.kernel),
                  static_cast<long>(s.kernel), static_cast<long>(s.c_in), static_cast<long>(s.c_out),
                  static_cast<long>(s.size), s.stride, s.groups, s.bias ? " +b" : "", s.residual ? " +r" : "");
    std::printf("%-10s %-28s %9.3f %8.1f %9s\n", s.name, conv, ms, flop / ms / 1e9, check.c_str());
    std::fflush(stdout);
    x = w = b = r = y = Tensor();
    cuda_empty_cache();
  }
  return 0;
}
