#include "core/models/dcae/linear_attention_block.h"

#include "core/ops/elementwise.h"
#include "core/ops/copy.h"
#include "core/ops/linear_attention.h"

namespace dc::models::dcae {
namespace {
constexpr float kAttentionEps = 1e-15f;  // SanaMultiscaleLinearAttention(eps=1e-15)
}

MultiscaleProjection::MultiscaleProjection(nn::Module* parent, std::string name, int64_t inner_dim, int64_t heads,
                                           int kernel_size)
    : Module(parent, std::move(name)),
      proj_in_(this, "proj_in",
               {.in_channels = 3 * inner_dim, .out_channels = 3 * inner_dim, .kernel_size = kernel_size,
                .padding = kernel_size / 2, .groups = static_cast<int>(3 * inner_dim), .bias = false}),
      proj_out_(this, "proj_out",
                {.in_channels = 3 * inner_dim, .out_channels = 3 * inner_dim, .kernel_size = 1,
                 .groups = static_cast<int>(3 * heads), .bias = false}) {}

Tensor MultiscaleProjection::forward(const Tensor& qkv) const { return proj_out_.forward(proj_in_.forward(qkv)); }

static int64_t heads_for(int64_t channels, int64_t head_dim) { return channels / head_dim; }

LinearAttentionBlock::LinearAttentionBlock(nn::Module* parent, std::string name, int64_t channels, int64_t head_dim,
                                           const std::vector<int64_t>& kernel_sizes, const std::string& norm_type)
    : Module(parent, std::move(name)),
      head_dim_(head_dim),
      to_q_(this, "to_q", channels, heads_for(channels, head_dim) * head_dim, false),
      to_k_(this, "to_k", channels, heads_for(channels, head_dim) * head_dim, false),
      to_v_(this, "to_v", channels, heads_for(channels, head_dim) * head_dim, false),
      multiscale_(this, "to_qkv_multiscale"),
      to_out_(this, "to_out", heads_for(channels, head_dim) * head_dim * (1 + static_cast<int64_t>(kernel_sizes.size())),
              channels, false),
      norm_out_(this, "norm_out", norm_type, channels) {
  const int64_t heads = heads_for(channels, head_dim);
  for (int64_t k : kernel_sizes) multiscale_.emplace(heads * head_dim, heads, static_cast<int>(k));
}

Status LinearAttentionBlock::after_load(const nn::LoadOptions&) {
  return catch_errors([&] {
    Tensor w = ops::concat({to_q_.weight(), to_k_.weight(), to_v_.weight()}, 0);  // [3·inner, C]
    qkv_weight_ = w.view({w.size(0), w.size(1), 1, 1});
  });
}

Tensor LinearAttentionBlock::forward(const Tensor& x) const {
  const int64_t n = x.size(0), h = x.size(2), w = x.size(3);
  Tensor qkv = ops::conv2d(x, qkv_weight_, {}, {});  // [N, 3·inner, H, W], x's layout
  std::vector<Tensor> scales{qkv};
  for (const auto& proj : multiscale_) scales.push_back(proj->forward(qkv));
  Tensor all = scales.size() == 1 ? qkv : ops::concat(scales, 1);  // [N, 3·inner·(1+S), H, W]
  // Heads are consecutive groups of 3·head_dim channels, each [q | k | v] (the reference's reshape + chunk),
  // as views: channels-last data regroups through its NHWC order, and attention reads q, k, v in place.
  const bool channels_last = all.is_channels_last() && !all.is_contiguous();
  Tensor grouped = channels_last ? all.permute({0, 2, 3, 1}).view({n, h * w, -1, 3 * head_dim_}).permute({0, 2, 3, 1})
                                 : all.view({n, -1, 3 * head_dim_, h * w});  // [N, heads', 3·d, HW]
  Tensor q = grouped.slice(2, 0, head_dim_);                                  // [N, heads', d, HW]
  Tensor k = grouped.slice(2, head_dim_, 2 * head_dim_);
  Tensor v = grouped.slice(2, 2 * head_dim_, 3 * head_dim_);
  Tensor att = ops::relu_linear_attention(q, k, v, kAttentionEps);  // [N, heads', d, HW]
  tap("attention", att);
  // Token-major attention output (from channels-last q) regroups into channels-last [N, heads'·d, H, W].
  Tensor att4 = att.stride(2) == 1 && att.size(2) > 1
                    ? att.permute({0, 3, 1, 2}).view({n, h, w, -1}).permute({0, 3, 1, 2})
                    : att.view({n, -1, h, w});                       // [N, heads'·d, H, W]
  return norm_out_.forward(to_out_.forward(att4), x);               // [N, C, H, W], norm + residual
}

}  // namespace dc::models::dcae
