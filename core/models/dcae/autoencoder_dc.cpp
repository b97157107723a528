#include "core/models/dcae/autoencoder_dc.h"

#include <algorithm>

#include "core/base/assert.h"

#include "core/io/diffusers/component_folder.h"
#include "core/models/checkpoint_source.h"
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
  Status loaded = model->Module::load(checkpoint_source(component.weights), options);
  if (!loaded) return std::move(loaded).error().with_context(folder.string());
  return model;
}

Tensor AutoencoderDC::to_run_layout(const Tensor& x) const {
  const bool channels_last = memory_format_ == MemoryFormat::kChannelsLast ||
                             (memory_format_ == MemoryFormat::kAuto && x.is_cuda());
  return channels_last ? ops::to_channels_last(x) : ops::contiguous(x);
}

Tensor AutoencoderDC::encode(const Tensor& sample) const {
  DC_CHECK(sample.dim() == 4 && sample.size(1) == config_.in_channels,
           "AutoencoderDC.encode: expected [N, " << config_.in_channels << ", H, W], got " << sample.describe());
  const int64_t f = config_.spatial_compression_ratio();
  DC_CHECK(sample.size(2) % f == 0 && sample.size(3) % f == 0,
           "AutoencoderDC.encode: height and width must be multiples of " << f << ", got " << sample.describe());
  return ops::contiguous(encoder_.forward(to_run_layout(sample)));  // [N, latent, H/f, W/f]
}

Tensor AutoencoderDC::decode(const Tensor& latent) const {
  DC_CHECK(latent.dim() == 4 && latent.size(1) == config_.latent_channels,
           "AutoencoderDC.decode: expected [N, " << config_.latent_channels << ", h, w], got " << latent.describe());
  return ops::contiguous(decoder_.forward(to_run_layout(latent)));  // [N, 3, H, W]
}

Tensor AutoencoderDC::decode_tiled(const Tensor& latent, const TiledDecodeOptions& options) const {
  DC_CHECK(options.tile_latent > 0, "decode_tiled: tile_latent must be positive");
  DC_CHECK(latent.dim() == 4 && latent.size(1) == config_.latent_channels,
           "AutoencoderDC.decode_tiled: expected [N, " << config_.latent_channels << ", h, w], got "
                                                       << latent.describe());
  const int64_t h = latent.size(2), w = latent.size(3);
  if (h <= options.tile_latent && w <= options.tile_latent) return decode(latent);
  // The attention part runs whole (it is global, and at 1/2^k of the output size cheap);
  // only the conv tail, where the memory goes, runs on tiles with its receptive halo.
  const Tensor head = decoder_.forward_head(to_run_layout(latent));  // [N, C, hh, ww]
  const int64_t hh = head.size(2), ww = head.size(3);
  const int64_t up = hh / h;                           // head pixels per latent pixel
  const int64_t tile = options.tile_latent * up;
  const int64_t halo = std::max(options.overlap_latent * up, decoder_.tail_halo());
  Tensor out;
  for (int64_t y0 = 0; y0 < hh; y0 += tile) {
    for (int64_t x0 = 0; x0 < ww; x0 += tile) {
      const int64_t y1 = std::min(hh, y0 + tile), x1 = std::min(ww, x0 + tile);
      const int64_t cy0 = std::max<int64_t>(0, y0 - halo), cx0 = std::max<int64_t>(0, x0 - halo);
      const int64_t cy1 = std::min(hh, y1 + halo), cx1 = std::min(ww, x1 + halo);
      const Tensor view = head.slice(2, cy0, cy1).slice(3, cx0, cx1);
      Tensor part = ops::empty_like_layout(view.shape(), head, head.dtype());  // dense, in head's layout
      ops::copy_(part, view);
      const Tensor decoded = decoder_.forward_tail(part);  // [N, 3, (cy1-cy0)·s, (cx1-cx0)·s]
      const int64_t s = decoded.size(2) / (cy1 - cy0);     // output pixels per head pixel
      if (!out.defined()) out = Tensor::empty({latent.size(0), decoded.size(1), hh * s, ww * s}, decoded.dtype(), decoded.device());
      const Tensor core = decoded.slice(2, (y0 - cy0) * s, (y1 - cy0) * s).slice(3, (x0 - cx0) * s, (x1 - cx0) * s);
      ops::copy_(out.slice(2, y0 * s, y1 * s).slice(3, x0 * s, x1 * s), core);  // NCHW out, any layout in
    }
  }
  return out;
}

}  // namespace dc::models::dcae
