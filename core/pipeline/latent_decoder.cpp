#include "core/pipeline/latent_decoder.h"

#include "core/models/autoencoder_kl/autoencoder_kl.h"
#include "core/models/dcae/autoencoder_dc.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"

namespace dc::pipeline {
namespace {

// DC-Gen's pipeline divides by scaling_factor only (its AutoencoderDC has no shift).
class DcaeDecoder final : public LatentDecoder {
 public:
  explicit DcaeDecoder(std::unique_ptr<models::dcae::AutoencoderDC> vae) : vae_(std::move(vae)) {}
  Tensor decode(const Tensor& latents, bool /*memory_bound: DC-AE's tiles are exact, always used*/) const override {
    const Tensor z = ops::scale(latents, static_cast<float>(1.0 / vae_->config().scaling_factor));
    const bool tiled = z.size(2) > kWholeDecodeSide || z.size(3) > kWholeDecodeSide;
    return tiled ? vae_->decode_tiled(z, {}) : vae_->decode(z);
  }

 private:
  static constexpr int64_t kWholeDecodeSide = 32;  // latent pixels; 1024² at f32
  std::unique_ptr<models::dcae::AutoencoderDC> vae_;
};

// FluxPipeline: latents / scaling_factor + shift_factor, then vae.decode(...).sample.
class KlDecoder final : public LatentDecoder {
 public:
  explicit KlDecoder(std::unique_ptr<models::autoencoder_kl::AutoencoderKL> vae) : vae_(std::move(vae)) {}
  Tensor decode(const Tensor& latents, bool memory_bound) const override {
    const auto& cfg = vae_->config();
    Tensor z = ops::scale(latents, static_cast<float>(1.0 / cfg.scaling_factor));
    if (cfg.shift_factor) {
      const Tensor shift = Tensor::from_vector({static_cast<float>(*cfg.shift_factor)}, {1});
      z = ops::add(z, ops::to_device(ops::cast(shift, z.dtype()), z.device()));  // broadcast over every element
    }
    const bool larger_than_a_tile = z.size(2) > vae_->tile_latent() || z.size(3) > vae_->tile_latent();
    return memory_bound && larger_than_a_tile ? vae_->decode_tiled(z) : vae_->decode(z);
  }

 private:
  std::unique_ptr<models::autoencoder_kl::AutoencoderKL> vae_;
};

}  // namespace

Result<std::unique_ptr<LatentDecoder>> LatentDecoder::load(const std::string& vae_class,
                                                           const std::filesystem::path& dir,
                                                           const nn::LoadOptions& options) {
  if (vae_class == "AutoencoderDC") {
    DC_TRY(auto vae, models::dcae::AutoencoderDC::load(dir, options));
    return std::unique_ptr<LatentDecoder>(new DcaeDecoder(std::move(vae)));
  }
  if (vae_class == "AutoencoderKL") {
    DC_TRY(auto vae, models::autoencoder_kl::AutoencoderKL::load(dir, options));
    return std::unique_ptr<LatentDecoder>(new KlDecoder(std::move(vae)));
  }
  return Error::not_supported(dir.string() + ": a " + vae_class +
                              " VAE is not supported (AutoencoderDC and AutoencoderKL are)");
}

}  // namespace dc::pipeline
