// Registry cases for conv2d beyond NCHW: channels-last inputs (the output keeps the
// layout), fused residual, bias or none, depthwise (channels-last: depthwise_nhwc),
// grouped 1x1, 3x3 stride 1 and 2, odd sizes; and, on cuDNN builds, the fold-and-seam
// path for images past cuDNN's 2^31-element limit, reached at small sizes by lowering
// the limit for the CUDA run; the fused activation (ReLU: cuDNN's fused epilogue or a
// pass after; SiLU/GELU: depthwise epilogue or a pass after) with and without bias and
// residual; depthwise 3x3 s1 p1 through its shared-memory tile kernel (channel runs,
// edges, activations); and the 1x1 GEMM route (gpu/cuda/conv/pointwise_gemm.h), forced for the
// CUDA run so both it and cuDNN are covered whatever the timing picks.
#include <gtest/gtest.h>

#include "core/ops/conv.h"
#include "core/ops/copy.h"
#include "tests/ops/op_case.h"
#ifdef DC_HAVE_CUDNN
#include "gpu/cuda/conv/cudnn_conv.h"
#endif
#include "gpu/cuda/conv/pointwise_gemm.h"

namespace dc::test {
namespace {

struct LayoutCase {
  std::string variant;
  Shape x, w;
  ops::Conv2dOptions opt;
  bool bias = false;
  bool residual = false;
  bool channels_last = true;
  int64_t fold_limit = 0;  // CUDA run only: cuDNN's per-call element limit, lowered (0: as is)
  gpu::PointwiseRoute route = gpu::PointwiseRoute::kTimed;  // CUDA run only: channels-last 1x1 route
};

// Forces the channels-last 1x1 route for one CUDA call, restores the previous one after.
class ForcedRoute {
 public:
  ForcedRoute(gpu::PointwiseRoute route, const OpContext& ctx)
      : active_(route != gpu::PointwiseRoute::kTimed && ctx.device.is_cuda()), saved_(gpu::pointwise_gemm_route()) {
    if (active_) gpu::set_pointwise_gemm_route(route);
  }
  ~ForcedRoute() {
    if (active_) gpu::set_pointwise_gemm_route(saved_);
  }
  ForcedRoute(const ForcedRoute&) = delete;
  ForcedRoute& operator=(const ForcedRoute&) = delete;

 private:
  bool active_;
  gpu::PointwiseRoute saved_;
};

// Lowers cuDNN's per-call element limit for one CUDA call, restores it after.
class FoldLimit {
 public:
  FoldLimit(int64_t limit, const OpContext& ctx) {
#ifdef DC_HAVE_CUDNN
    active_ = limit > 0 && ctx.device.is_cuda();
    if (active_) gpu::cudnn_conv2d_set_max_elements_for_testing(limit);
#endif
  }
  ~FoldLimit() {
#ifdef DC_HAVE_CUDNN
    if (active_) gpu::cudnn_conv2d_set_max_elements_for_testing(0);
#endif
  }
  FoldLimit(const FoldLimit&) = delete;
  FoldLimit& operator=(const FoldLimit&) = delete;

 private:
  bool active_ = false;
};

OpCase layout_case(LayoutCase c) {
  const int64_t oh = (c.x[2] + 2 * c.opt.padding - c.w[2]) / c.opt.stride + 1;
  const int64_t ow = (c.x[3] + 2 * c.opt.padding - c.w[3]) / c.opt.stride + 1;
  std::vector<InputSpec> inputs = {{c.x}, {c.w, 0.5f}};
  if (c.bias) inputs.push_back({{c.w[0]}});
  if (c.residual) inputs.push_back({{c.x[0], c.w[0], oh, ow}, 2.0f});
  std::string variant = (c.channels_last ? "NHWC " : "NCHW ") + c.variant;
  return reduction_case("conv2d", std::move(variant), std::move(inputs), [c](const Inputs& in, const OpContext& ctx) {
    auto layout = [&](const Tensor& t) { return c.channels_last ? ops::to_channels_last(t) : t; };
    const Tensor bias = c.bias ? in[2] : Tensor();
    const Tensor residual = c.residual ? layout(in[c.bias ? 3 : 2]) : Tensor();
    const FoldLimit limit(c.fold_limit, ctx);
    const ForcedRoute route(c.route, ctx);
    const Tensor y = ops::conv2d(layout(in[0]), in[1], bias, c.opt, residual);
    EXPECT_TRUE(c.channels_last ? y.is_channels_last() : y.is_contiguous())
        << "conv2d output lost the input's layout on " << ctx.device.to_string();
    return ops::contiguous(y);
  });
}

}  // namespace

void add_conv_layout_cases(std::vector<OpCase>& cases) {
  const std::vector<LayoutCase> list = {
      {"3x3 s1 p1 + bias", {2, 16, 9, 7}, {24, 16, 3, 3}, {1, 1, 1}, true},
      {"3x3 s1 p1 no bias, odd channels", {1, 5, 11, 13}, {7, 5, 3, 3}, {1, 1, 1}},
      {"3x3 s2 p1 + bias", {1, 16, 17, 12}, {32, 16, 3, 3}, {2, 1, 1}, true},
      {"3x3 s2 p1 no bias, odd size", {2, 8, 13, 9}, {8, 8, 3, 3}, {2, 1, 1}},
      {"1x1 + bias", {2, 32, 6, 5}, {48, 32, 1, 1}, {}, true},
      {"1x1 no bias, odd channels", {1, 12, 7, 9}, {20, 12, 1, 1}, {}},
      {"grouped 1x1 groups=3 (multiscale aggregation)", {1, 96, 5, 7}, {96, 32, 1, 1}, {1, 0, 3}},
      {"depthwise 3x3 p1 + bias", {2, 24, 9, 8}, {24, 1, 3, 3}, {1, 1, 24}, true},
      {"depthwise 5x5 p2", {1, 40, 11, 10}, {40, 1, 5, 5}, {1, 2, 40}},
      // 3x3 s1 p1 tile kernel (depthwise_nhwc.cu): a partial second channel run (320 bf16/f16
      // channels = 40 vectors), row and column tiles cut by the image edge, N = 2.
      {"depthwise 3x3 p1 tiles + bias, 2 channel runs, odd size", {2, 320, 19, 21}, {320, 1, 3, 3}, {1, 1, 320}, true},
      {"depthwise 3x3 p1 tiles, 1 row, 1 column", {1, 64, 1, 1}, {64, 1, 3, 3}, {1, 1, 64}},
      {"depthwise 3x3 p1 tiles + bias + residual, tall", {1, 256, 35, 9}, {256, 1, 3, 3}, {1, 1, 256}, true, true},
      {"depthwise 3x3 p1 tiles silu + bias", {1, 264, 17, 10}, {264, 1, 3, 3}, {1, 1, 264, ops::Activation::kSiLU},
       true},
      {"depthwise 3x3 p1 tiles gelu (run-time activation)", {1, 32, 9, 17}, {32, 1, 3, 3},
       {1, 1, 32, ops::Activation::kGELU}},
      {"depthwise 3x3 s2 p1 + bias, odd channels (scalar path)", {2, 13, 9, 7}, {13, 1, 3, 3}, {2, 1, 13}, true},
      {"3x3 + bias + residual", {1, 16, 10, 9}, {16, 16, 3, 3}, {1, 1, 1}, true, true},
      {"1x1 + residual, no bias", {2, 24, 5, 6}, {16, 24, 1, 1}, {}, false, true},
      {"depthwise 3x3 + bias + residual", {1, 32, 7, 6}, {32, 1, 3, 3}, {1, 1, 32}, true, true},
      {"3x3 64->64 32x32 + bias", {1, 64, 32, 32}, {64, 64, 3, 3}, {1, 1, 1}, true},
      {"3x3 + bias + residual", {2, 8, 9, 11}, {12, 8, 3, 3}, {1, 1, 1}, true, true, false},
      {"depthwise 3x3 + residual", {1, 16, 8, 7}, {16, 1, 3, 3}, {1, 1, 16}, false, true, false},
      {"1x1 + bias", {2, 32, 6, 5}, {48, 32, 1, 1}, {}, true, false, false},
      // Fold-and-seam split (cuDNN builds; elsewhere these are plain channels-last cases).
      {"folded k=2 3x3 p1 + bias + residual", {1, 16, 24, 10}, {8, 16, 3, 3}, {1, 1, 1}, true, true, true, 2000},
      {"folded k=4 N=2 3x3 p1 + bias", {2, 16, 24, 10}, {16, 16, 3, 3}, {1, 1, 1}, true, false, true, 1000},
      {"folded 3x3 s2 p1", {1, 8, 32, 12}, {16, 8, 3, 3}, {2, 1, 1}, false, false, true, 1600},
      {"folded depthwise 5x5 p2 + residual", {1, 8, 20, 6}, {8, 1, 5, 5}, {1, 2, 8}, false, true, true, 500},
      {"folded 1x1 + bias (no seams)", {1, 16, 24, 10}, {16, 16, 1, 1}, {}, true, false, true, 2000},
  };
  for (const LayoutCase& c : list) cases.push_back(layout_case(c));

  // 1x1 through cuBLASLt (grouped: one strided-batched GEMM over the groups) and,
  // forced the other way, through cuDNN.
  using R = gpu::PointwiseRoute;
  const std::vector<LayoutCase> pointwise = {
      {"1x1 GEMM + bias", {2, 32, 6, 5}, {48, 32, 1, 1}, {}, true, false, true, 0, R::kGemm},
      {"1x1 GEMM no bias, odd channels", {1, 12, 7, 9}, {20, 12, 1, 1}, {}, false, false, true, 0, R::kGemm},
      {"1x1 GEMM + bias + residual", {1, 24, 5, 6}, {16, 24, 1, 1}, {}, true, true, true, 0, R::kGemm},
      {"grouped 1x1 GEMM groups=4", {2, 64, 5, 7}, {64, 16, 1, 1}, {1, 0, 4}, false, false, true, 0, R::kGemm},
      {"grouped 1x1 GEMM groups=3 + bias + residual", {1, 96, 5, 7}, {48, 32, 1, 1}, {1, 0, 3}, true, true, true, 0,
       R::kGemm},
      {"1x1 cuDNN + bias", {2, 32, 6, 5}, {48, 32, 1, 1}, {}, true, false, true, 0, R::kCudnn},
      {"grouped 1x1 cuDNN groups=4", {2, 64, 5, 7}, {64, 16, 1, 1}, {1, 0, 4}, false, false, true, 0, R::kCudnn},
  };
  for (const LayoutCase& c : pointwise) cases.push_back(layout_case(c));

  // Activations: {relu, silu} x {bias, residual} combinations x layouts, on 3x3 (cuDNN),
  // depthwise (its kernel when channels-last), 1x1 (each route) and the folded path.
  struct Body {
    const char* name;
    Shape x, w;
    ops::Conv2dOptions opt;
    bool channels_last;
    int64_t fold_limit;
    R route;
  };
  const std::vector<Body> bodies = {
      {"3x3", {1, 16, 10, 9}, {24, 16, 3, 3}, {1, 1, 1}, true, 0, R::kTimed},
      {"3x3", {2, 8, 9, 11}, {12, 8, 3, 3}, {1, 1, 1}, false, 0, R::kTimed},
      {"depthwise 3x3", {1, 32, 7, 6}, {32, 1, 3, 3}, {1, 1, 32}, true, 0, R::kTimed},
      {"depthwise 5x5", {1, 16, 9, 8}, {16, 1, 5, 5}, {1, 2, 16}, false, 0, R::kTimed},
      {"1x1 GEMM", {1, 24, 5, 6}, {16, 24, 1, 1}, {}, true, 0, R::kGemm},
      {"1x1 cuDNN", {1, 24, 5, 6}, {16, 24, 1, 1}, {}, true, 0, R::kCudnn},
      {"grouped 1x1 GEMM g=3", {1, 48, 5, 6}, {48, 16, 1, 1}, {1, 0, 3}, true, 0, R::kGemm},
      {"folded k=2 3x3", {1, 16, 24, 10}, {8, 16, 3, 3}, {1, 1, 1}, true, 2000, R::kTimed},
  };
  const std::pair<const char*, ops::Activation> acts[] = {{"relu", ops::Activation::kReLU},
                                                          {"silu", ops::Activation::kSiLU}};
  for (const Body& b : bodies) {
    for (const auto& [act_name, act] : acts) {
      for (int extras = 0; extras < 4; ++extras) {
        const bool bias = extras & 1, residual = extras & 2;
        if (b.fold_limit > 0 && extras != 3) continue;  // the folded path once, with everything
        LayoutCase c{std::string(b.name) + " " + act_name + (bias ? " + bias" : "") + (residual ? " + residual" : ""),
                     b.x, b.w, b.opt, bias, residual, b.channels_last, b.fold_limit, b.route};
        c.opt.activation = act;
        cases.push_back(layout_case(c));
      }
    }
  }
}

}  // namespace dc::test
