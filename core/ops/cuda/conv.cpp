// CUDA backend: conv2d through gpu/cuda/conv (direct, pointwise GEMM or im2col + GEMM).
#include "core/ops/backend.h"
#include "core/ops/cuda/cuda_util.h"
#include "gpu/cuda/conv/conv.h"
#include "gpu/cuda/gemm/gemm.h"

namespace dc::ops::cuda {

using namespace cuda_detail;

void conv2d(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias, const Tensor& residual,
            const Conv2dOptions& opt) {
  if (out.numel() == 0) return;
  if (!out.is_contiguous()) {  // channels-last: this path computes in NCHW
    Tensor xn = Tensor::empty(x.shape(), x.dtype(), x.device());
    copy_strided(xn, x);
    Tensor on = Tensor::empty(out.shape(), out.dtype(), out.device());
    conv2d(on, xn, w, bias, Tensor(), opt);
    if (residual.defined()) binary(on, on, residual, BinaryOp::kAdd);
    copy_strided(out, on);
    return;
  }
  gpu::Conv2dParams p;
  p.x = x.data_ptr();
  p.weight = w.data_ptr();
  p.bias = ptr_or_null(bias);
  p.y = out.data_ptr();
  p.dtype = activation_type(x.dtype(), "conv2d");
  p.n = x.size(0), p.c_in = x.size(1), p.h = x.size(2), p.w = x.size(3);
  p.c_out = w.size(0), p.kh = w.size(2), p.kw = w.size(3);
  p.oh = out.size(2), p.ow = out.size(3);
  p.stride = opt.stride, p.padding = opt.padding, p.groups = opt.groups;
  std::string why;
  check_supported(gpu::conv2d_can_run(p, &why), why, "conv2d");
  const gpu::Conv2dAlgo algo = gpu::conv2d_algo(p);
  Tensor scratch, workspace;
  if (algo == gpu::Conv2dAlgo::kIm2colGemm) {
    p.scratch_bytes = gpu::conv2d_scratch_bytes(p);
    scratch = scratch_bytes(p.scratch_bytes, out.device());
    p.scratch = scratch.data_ptr();
  }
  if (algo != gpu::Conv2dAlgo::kDirect) {
    p.gemm_workspace_bytes = gpu::gemm_workspace_bytes();
    workspace = scratch_bytes(p.gemm_workspace_bytes, out.device());
    p.gemm_workspace = workspace.data_ptr();
  }
  p.stream = stream();
  check(gpu::conv2d(p), "conv2d");
  if (residual.defined()) binary(out, out, residual, BinaryOp::kAdd);
}

}  // namespace dc::ops::cuda
