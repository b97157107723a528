#include "core/models/autoencoder_kl/autoencoder_kl.h"

#include <algorithm>
#include <vector>

#include "core/base/assert.h"
#include "core/io/diffusers/component_folder.h"
#include "core/models/checkpoint_source.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"

namespace dc::models::autoencoder_kl {
namespace {

// diffusers ModelMixin._fix_state_dict_keys_on_load: checkpoints saved before the
// attention rewrite name the mid-block attention's linears query/key/value/proj_attn.
std::string legacy_attention_key(const std::string& key) {
  static const std::pair<const char*, const char*> kRenames[] = {
      {".to_q.", ".query."}, {".to_k.", ".key."}, {".to_v.", ".value."}, {".to_out.0.", ".proj_attn."}};
  if (key.find(".attentions.") == std::string::npos) return key;
  for (const auto& [now, before] : kRenames) {
    const size_t at = key.find(now);
    if (at != std::string::npos) return key.substr(0, at) + before + key.substr(at + std::string(now).size());
  }
  return key;
}

}  // namespace

AutoencoderKL::AutoencoderKL(AutoencoderKLConfig config)
    : Module(nullptr, ""), config_(std::move(config)), decoder_(this, "decoder", config_) {
  if (config_.use_post_quant_conv) {
    post_quant_conv_ = std::make_unique<nn::Conv2d>(
        this, "post_quant_conv",
        nn::Conv2dSpec{.in_channels = config_.latent_channels, .out_channels = config_.latent_channels});
  }
}

Result<std::unique_ptr<AutoencoderKL>> AutoencoderKL::load(const std::filesystem::path& folder,
                                                           const nn::LoadOptions& options) {
  DC_TRY(ComponentFolder component, open_component(folder));
  DC_TRY(std::string cls, component.config.class_name());
  if (cls != "AutoencoderKL") {
    return Error::not_supported(component.config.context() + ": _class_name is '" + cls + "', expected AutoencoderKL");
  }
  DC_TRY(AutoencoderKLConfig config, parse_autoencoder_kl_config(component.config));
  auto model = std::make_unique<AutoencoderKL>(std::move(config));
  const bool legacy = component.weights.contains("decoder.mid_block.attentions.0.query.weight");
  Status loaded =
      model->Module::load(checkpoint_source(component.weights, legacy ? legacy_attention_key : nullptr), options);
  if (!loaded) return std::move(loaded).error().with_context(folder.string());
  return model;
}

Tensor AutoencoderKL::decode(const Tensor& latent) const {
  DC_CHECK(latent.dim() == 4 && latent.size(1) == config_.latent_channels,
           "AutoencoderKL.decode: expected [N, " << config_.latent_channels << ", h, w], got " << latent.describe());
  Tensor z = ops::contiguous(latent);
  if (post_quant_conv_) z = post_quant_conv_->forward(z);  // [N, latent, h, w]
  return ops::contiguous(decoder_.forward(z));             // [N, out_channels, h·f, w·f]
}

Tensor AutoencoderKL::decode_tiled(const Tensor& latent) const {
  DC_CHECK(latent.dim() == 4 && latent.size(1) == config_.latent_channels,
           "AutoencoderKL.decode_tiled: expected [N, " << config_.latent_channels << ", h, w], got "
                                                       << latent.describe());
  // The sizes diffusers derives (int() truncation included) with tile_overlap_factor 0.25.
  constexpr double kOverlap = 0.25;
  const int64_t tile = std::max<int64_t>(1, tile_latent()), tile_sample = config_.sample_size;
  const int64_t step = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(tile) * (1 - kOverlap)));
  const int64_t blend = static_cast<int64_t>(static_cast<double>(tile_sample) * kOverlap);
  const int64_t keep = tile_sample - blend;
  const int64_t h = latent.size(2), w = latent.size(3);

  // Decoded tiles, host f32 [N, C, th, tw], row-major as diffusers lists them.
  std::vector<std::vector<Tensor>> rows;
  for (int64_t i = 0; i < h; i += step) {
    std::vector<Tensor>& row = rows.emplace_back();
    for (int64_t j = 0; j < w; j += step) {
      const Tensor part = latent.slice(2, i, std::min(h, i + tile)).slice(3, j, std::min(w, j + tile));
      row.push_back(ops::contiguous(ops::cast(ops::to_device(decode(part), Device::cpu()), DType::kF32)));
    }
  }
  // b's first `extent` rows (or columns) fade in from a's last ones: b = a·(1 − t) + b·t, t = k / extent.
  const auto blend_into = [](const Tensor& a, Tensor& b, int64_t extent, int dim) {
    extent = std::min({a.size(dim), b.size(dim), extent});
    for (int64_t k = 0; k < extent; ++k) {
      const double t = static_cast<double>(k) / static_cast<double>(extent);
      const Tensor from = a.slice(dim, a.size(dim) - extent + k, a.size(dim) - extent + k + 1);
      const Tensor to = b.slice(dim, k, k + 1);
      ops::copy_(to, ops::add(ops::scale(from, static_cast<float>(1.0 - t)), ops::scale(to, static_cast<float>(t))));
    }
  };
  std::vector<Tensor> stitched_rows;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<Tensor> cropped;
    for (size_t j = 0; j < rows[i].size(); ++j) {
      Tensor& t = rows[i][j];
      if (i > 0) blend_into(rows[i - 1][j], t, blend, 2);
      if (j > 0) blend_into(rows[i][j - 1], t, blend, 3);
      cropped.push_back(t.slice(2, 0, std::min(keep, t.size(2))).slice(3, 0, std::min(keep, t.size(3))));
    }
    stitched_rows.push_back(ops::concat(cropped, 3));
  }
  return ops::to_device(ops::contiguous(ops::concat(stitched_rows, 2)), latent.device());
}

}  // namespace dc::models::autoencoder_kl
