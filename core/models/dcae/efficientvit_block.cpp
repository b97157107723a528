#include "core/models/dcae/efficientvit_block.h"

#include <algorithm>
#include <atomic>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"

namespace dc::models::dcae {

GLUMBConv::GLUMBConv(nn::Module* parent, std::string name, int64_t channels, int64_t expand_ratio)
    : Module(parent, std::move(name)),
      expanded_channels_(2 * expand_ratio * channels),
      conv_inverted_(this, "conv_inverted",
                     {.in_channels = channels, .out_channels = 2 * expand_ratio * channels, .kernel_size = 1}),
      conv_depth_(this, "conv_depth",
                  {.in_channels = 2 * expand_ratio * channels, .out_channels = 2 * expand_ratio * channels,
                   .kernel_size = 3, .padding = 1, .groups = static_cast<int>(2 * expand_ratio * channels)}),
      conv_point_(this, "conv_point",
                  {.in_channels = expand_ratio * channels, .out_channels = channels, .kernel_size = 1, .bias = false}),
      norm_(this, "norm", channels, 1e-5f, true, true) {}

// The block is local (1x1 convs, a 3x3 depthwise, per-pixel norm), so at high
// resolution it runs in bands of rows: its 8x-expanded intermediates then cost a
// band's memory instead of the whole image's, with identical results.
namespace {
std::atomic<size_t> g_band_bytes{size_t{256} << 20};
}  // namespace

void set_glumbconv_band_bytes(size_t bytes) { g_band_bytes = std::max<size_t>(bytes, 1); }

Tensor GLUMBConv::forward(const Tensor& x) const {
  const int64_t h = x.size(2);
  const size_t row_bytes = static_cast<size_t>(x.size(0) * expanded_channels_ * x.size(3)) * dtype_bits(x.dtype()) / 8;
  const int64_t band = std::max<int64_t>(1, static_cast<int64_t>(g_band_bytes / std::max<size_t>(row_bytes, 1)));
  if (band >= h) return forward_rows(x, 0, h);
  Tensor out = ops::empty_like_layout(x.shape(), x, x.dtype());
  for (int64_t r0 = 0; r0 < h; r0 += band) {
    const int64_t r1 = std::min(h, r0 + band);
    ops::copy_(out.slice(2, r0, r1), forward_rows(x, r0, r1));
  }
  return out;
}

Tensor GLUMBConv::forward_rows(const Tensor& x, int64_t r0, int64_t r1) const {
  const int64_t h = x.size(2);
  const int64_t c0 = std::max<int64_t>(0, r0 - 1), c1 = std::min(h, r1 + 1);  // rows with context
  const bool whole = r0 == 0 && r1 == h;
  Tensor xb = x;
  if (!whole) {
    xb = ops::empty_like_layout({x.size(0), x.size(1), c1 - c0, x.size(3)}, x, x.dtype());
    ops::copy_(xb, x.slice(2, c0, c1));
  }
  Tensor t = conv_inverted_.forward(xb, {}, ops::Activation::kSiLU);  // [N, 2·E·C, rows, W]
  t = conv_depth_.forward(t);
  if (!whole) t = t.slice(2, r0 - c0, r1 - c0);  // drop the context rows (their zero padding is wrong)
  std::vector<Tensor> halves = t.chunk(2, 1);      // hidden, gate
  t = ops::gated_activation(halves[0], halves[1], ops::Activation::kSiLU);  // [N, E·C, r1-r0, W]
  Tensor residual = whole ? x : xb.slice(2, r0 - c0, r1 - c0);
  return norm_.forward_channels(conv_point_.forward(t), residual);  // [N, C, r1-r0, W], norm + residual
}

EfficientViTBlock::EfficientViTBlock(nn::Module* parent, std::string name, int64_t channels, int64_t head_dim,
                                     const std::vector<int64_t>& qkv_multiscales, const std::string& norm_type)
    : Layer2d(parent, std::move(name)),
      attn_(this, "attn", channels, head_dim, qkv_multiscales, norm_type),
      conv_out_(this, "conv_out", channels) {}

Tensor EfficientViTBlock::forward(const Tensor& x) const { return conv_out_.forward(attn_.forward(x)); }

}  // namespace dc::models::dcae
