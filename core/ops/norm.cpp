#include "core/ops/norm.h"

#include <cmath>

#include "core/ops/backend.h"
#include "core/ops/profile.h"
#include "core/ops/op_util.h"

namespace dc::ops {
namespace {

void check_affine(const Tensor& p, int64_t c, const char* op, const char* what) {
  DC_CHECK(!p.defined() || (p.dim() == 1 && p.size(0) == c),
           op << ": " << what << " " << p.describe() << " does not match " << c << " channels");
}

void check_residual(const Tensor& r, const Tensor& x, const char* op) {
  if (!r.defined()) return;
  detail::check_same_device(r, x, op);
  DC_CHECK(r.shape() == x.shape(), op << ": residual " << r.describe() << " does not match " << x.describe());
}

}  // namespace

Tensor rms_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps) {
  DC_OP_SCOPE("rms_norm");
  detail::check_activation_dtype(x, "rms_norm");
  const int64_t c = x.size(-1);
  check_affine(weight, c, "rms_norm", "weight");
  check_affine(bias, c, "rms_norm", "bias");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), rms_norm, out, contiguous(x), detail::prepare(weight, x), detail::prepare(bias, x), eps);
  return out;
}

Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps) {
  DC_OP_SCOPE("layer_norm");
  detail::check_activation_dtype(x, "layer_norm");
  const int64_t c = x.size(-1);
  check_affine(weight, c, "layer_norm", "weight");
  check_affine(bias, c, "layer_norm", "bias");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  DC_OPS_DISPATCH(x.device(), layer_norm, out, contiguous(x), detail::prepare(weight, x), detail::prepare(bias, x),
                  eps);
  return out;
}

Tensor group_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, int64_t groups, float eps) {
  DC_OP_SCOPE("group_norm");
  detail::check_activation_dtype(x, "group_norm");
  DC_CHECK(x.dim() >= 2, "group_norm: expects [N, C, ...], got " << x.describe());
  const int64_t n = x.size(0), c = x.size(1);
  DC_CHECK(groups > 0 && c % groups == 0,
           "group_norm: " << c << " channels of " << x.describe() << " do not split into " << groups << " groups");
  check_affine(weight, c, "group_norm", "weight");
  check_affine(bias, c, "group_norm", "bias");
  const Tensor xc = contiguous(x);
  if (xc.numel() == 0) return clone(xc);
  // Each (sample, group) is one contiguous row of C/groups · spatial elements.
  const int64_t row = xc.numel() / (n * groups);
  const Tensor normed = layer_norm(xc.view({n * groups, row}), Tensor(), Tensor(), eps).view(x.shape());
  if (!weight.defined() && !bias.defined()) return normed;
  const Tensor scale = weight.defined() ? weight : full({c}, 1.0f, DType::kF32, x.device());
  const Tensor shift = bias.defined() ? bias : zeros({c}, DType::kF32, x.device());
  return channel_affine(normed, scale, shift);
}

Tensor rms_norm_channels(const Tensor& x, const Tensor& weight, const Tensor& bias, float eps,
                         const Tensor& residual, Activation act) {
  DC_OP_SCOPE("rms_norm_channels");
  detail::check_activation_dtype(x, "rms_norm_channels");
  DC_CHECK(x.dim() >= 2, "rms_norm_channels: expects [N, C, ...], got " << x.describe());
  const int64_t c = x.size(1);
  check_affine(weight, c, "rms_norm_channels", "weight");
  check_affine(bias, c, "rms_norm_channels", "bias");
  check_residual(residual, x, "rms_norm_channels");
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout(x.shape(), xd, x.dtype());
  DC_OPS_DISPATCH(x.device(), rms_norm_channels, out, xd, detail::prepare(weight, x), detail::prepare(bias, x),
                  detail::match_layout(residual, xd), eps, act);
  return out;
}

Tensor channel_affine(const Tensor& x, const Tensor& scale, const Tensor& shift, const Tensor& residual) {
  DC_OP_SCOPE("channel_affine");
  detail::check_activation_dtype(x, "channel_affine");
  DC_CHECK(x.dim() >= 2, "channel_affine: expects [N, C, ...], got " << x.describe());
  const int64_t c = x.size(1);
  check_affine(scale, c, "channel_affine", "scale");
  check_affine(shift, c, "channel_affine", "shift");
  DC_CHECK(scale.defined() && shift.defined(), "channel_affine: scale and shift are required");
  check_residual(residual, x, "channel_affine");
  const Tensor xd = detail::dense(x);
  Tensor out = empty_like_layout(x.shape(), xd, x.dtype());
  auto as_f32 = [&](const Tensor& t) { return contiguous(cast(to_device(t, x.device()), DType::kF32)); };
  DC_OPS_DISPATCH(x.device(), channel_affine, out, xd, as_f32(scale), as_f32(shift), detail::match_layout(residual, xd));
  return out;
}

FoldedBatchNorm fold_batch_norm(const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                                const Tensor& bias, float eps) {
  const int64_t c = running_mean.numel();
  check_affine(running_var, c, "batch_norm", "running_var");
  check_affine(weight, c, "batch_norm", "weight");
  check_affine(bias, c, "batch_norm", "bias");
  const std::vector<float> mean = to_f32_vector(running_mean), var = to_f32_vector(running_var);
  const std::vector<float> w = weight.defined() ? to_f32_vector(weight) : std::vector<float>(c, 1.0f);
  const std::vector<float> b = bias.defined() ? to_f32_vector(bias) : std::vector<float>(c, 0.0f);
  std::vector<float> scale(c), shift(c);
  for (int64_t i = 0; i < c; ++i) {
    const double s = w[i] / std::sqrt(static_cast<double>(var[i]) + eps);
    scale[i] = static_cast<float>(s);
    shift[i] = static_cast<float>(b[i] - mean[i] * s);
  }
  return {Tensor::from_vector(scale, {c}), Tensor::from_vector(shift, {c})};
}

Tensor batch_norm_inference(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                            const Tensor& weight, const Tensor& bias, float eps) {
  check_affine(running_mean, x.size(1), "batch_norm", "running_mean");
  const FoldedBatchNorm f = fold_batch_norm(running_mean, running_var, weight, bias, eps);
  return channel_affine(x, f.scale, f.shift);
}

}  // namespace dc::ops
