// pointwise_conv_gemm: see pointwise_gemm.h.
#include "gpu/cuda/conv/pointwise_gemm.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "gpu/cuda/common/status.h"
#include "gpu/cuda/conv/conv_prefill.h"
#include "gpu/cuda/gemm/gemm.h"

namespace dc::gpu {
namespace {

PointwiseRoute route_from_environment() {
  const char* v = std::getenv("DC_CONV_POINTWISE");
  if (v && std::strcmp(v, "gemm") == 0) return PointwiseRoute::kGemm;
  if (v && std::strcmp(v, "cudnn") == 0) return PointwiseRoute::kCudnn;
  return PointwiseRoute::kTimed;
}

std::atomic<PointwiseRoute>& route() {
  static std::atomic<PointwiseRoute> r{route_from_environment()};
  return r;
}

}  // namespace

PointwiseRoute pointwise_gemm_route() { return route().load(); }
void set_pointwise_gemm_route(PointwiseRoute r) { route().store(r); }

bool pointwise_conv_gemm_can_run(const PointwiseGemmParams& p, std::string* why) {
  auto fail = [why](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (!is_activation_type(p.dtype)) return fail("dtype not supported (f32, bf16, f16 are)");
  if (p.groups < 1 || p.c_in < 1 || p.c_out < 1 || p.pixels < 0) return fail("invalid sizes or groups");
  if (p.c_in % p.groups != 0 || p.c_out % p.groups != 0) return fail("channels not divisible by groups");
  if (p.workspace_bytes > 0 && !p.workspace) return fail("workspace size without a workspace");
  return true;
}

std::string pointwise_conv_gemm(const PointwiseGemmParams& p) {
  std::string why;
  if (!pointwise_conv_gemm_can_run(p, &why)) return "pointwise_conv_gemm: " + why;
  if (p.pixels == 0) return {};
  const int64_t cin_g = p.c_in / p.groups, cout_g = p.c_out / p.groups;
  const bool prefill = p.residual || (p.bias && p.groups > 1);
  if (prefill) {
    ConvPrefillParams f;
    f.y = p.y, f.residual = p.residual, f.bias = p.bias, f.dtype = p.dtype;
    f.offset = 0, f.count = p.pixels * p.c_out, f.channels = p.c_out, f.channel_stride = 1;
    f.stream = p.stream;
    DC_GPU_TRY(conv_prefill(f));
  }
  GemmParams g;
  g.a = p.x, g.lda = p.c_in, g.batch_stride_a = cin_g;
  g.b = p.weight, g.ldb = cin_g, g.batch_stride_b = cout_g * cin_g, g.trans_b = true;
  g.c = p.y, g.ldc = p.c_out, g.batch_stride_c = cout_g;
  g.bias = prefill ? nullptr : p.bias;
  g.beta = prefill ? 1.0f : 0.0f;
  g.dtype = p.dtype;
  g.m = p.pixels, g.n = cout_g, g.k = cin_g, g.batch = p.groups;
  g.workspace = p.workspace, g.workspace_bytes = p.workspace_bytes;
  g.stream = p.stream;
  DC_GPU_TRY(gemm(g));
  if (p.act == ActivationKind::kIdentity) return {};
  PointwiseParams a;  // in place
  a.out = p.y, a.x = p.y, a.dtype = p.dtype, a.count = p.pixels * p.c_out, a.act = p.act;
  a.stream = p.stream;
  return pointwise(a);
}

}  // namespace dc::gpu
