#include "core/models/dcae/autoencoder_dc.h"

#include <algorithm>

#include "core/base/assert.h"

#include "core/io/diffusers/component_folder.h"
#include "core/ops/copy.h"

namespace dc::models::dcae {

AutoencoderDC::AutoencoderDC(DCAEConfig config)
    : Module(nullptr, ""), config_(std::move(config)), encoder_(this, "encoder", config_), decoder_(this, "decoder", config_) {}

Result<std::unique_ptr<AutoencoderDC>> AutoencoderDC::load(const std::filesystem::path& folder,
                                                           const nn::LoadOptions& options) {
  DC_TRY(ComponentFolder component, open_component(folder));
  DC_TRY(std::string cls, component.config.class_name());
  if (cls != "AutoencoderDC") {
    return Error::not_supported(component.config.context() + ": _class_name is '" + cls + "', expected AutoencoderDC");
  }
  DC_TRY(DCAEConfig config, parse_dcae_config(component.config));
  auto model = std::make_unique<AutoencoderDC>(std::move(config));
  const Checkpoint& weights = component.weights;
  nn::WeightSource source{
      .contains = [&](const std::string& key) { return weights.contains(key); },
      .tensor = [&](const std::string& key) { return weights.tensor(key); },
  };
  Status loaded = model->Module::load(source, options);
  if (!loaded) return std::move(loaded).error().with_context(folder.string());
  return model;
}

Tensor AutoencoderDC::encode(const Tensor& sample) const {
  DC_CHECK(sample.dim() == 4 && sample.size(1) == config_.in_channels,
           "AutoencoderDC.encode: expected [N, " << config_.in_channels << ", H, W], got " << sample.describe());
  const int64_t f = config_.spatial_compression_ratio();
  DC_CHECK(sample.size(2) % f == 0 && sample.size(3) % f == 0,
           "AutoencoderDC.encode: height and width must be multiples of " << f << ", got " << sample.describe());
  return encoder_.forward(sample);
}

Tensor AutoencoderDC::decode(const Tensor& latent) const {
  DC_CHECK(latent.dim() == 4 && latent.size(1) == config_.latent_channels,
           "AutoencoderDC.decode: expected [N, " << config_.latent_channels << ", h, w], got " << latent.describe());
  return decoder_.forward(latent);
}

Tensor AutoencoderDC::decode_tiled(const Tensor& latent, const TiledDecodeOptions& options) const {
  DC_CHECK(options.tile_latent > 0 && options.overlap_latent >= 0, "decode_tiled: invalid tile options");
  const int64_t h = latent.size(2), w = latent.size(3), f = config_.spatial_compression_ratio();
  if (h <= options.tile_latent && w <= options.tile_latent) return decode(latent);
  Tensor out = Tensor::empty({latent.size(0), config_.in_channels, h * f, w * f}, latent.dtype(), latent.device());
  const int64_t tile = options.tile_latent, pad = options.overlap_latent;
  for (int64_t y0 = 0; y0 < h; y0 += tile) {
    for (int64_t x0 = 0; x0 < w; x0 += tile) {
      const int64_t y1 = std::min(h, y0 + tile), x1 = std::min(w, x0 + tile);
      const int64_t cy0 = std::max<int64_t>(0, y0 - pad), cx0 = std::max<int64_t>(0, x0 - pad);
      const int64_t cy1 = std::min(h, y1 + pad), cx1 = std::min(w, x1 + pad);
      Tensor ctx = latent.slice(2, cy0, cy1).slice(3, cx0, cx1);  // tile plus context
      Tensor decoded = decode(ops::contiguous(ctx));               // [N, 3, (cy1-cy0)·f, (cx1-cx0)·f]
      Tensor core = decoded.slice(2, (y0 - cy0) * f, (y1 - cy0) * f).slice(3, (x0 - cx0) * f, (x1 - cx0) * f);
      ops::copy_(out.slice(2, y0 * f, y1 * f).slice(3, x0 * f, x1 * f), core);
    }
  }
  return out;
}

}  // namespace dc::models::dcae
