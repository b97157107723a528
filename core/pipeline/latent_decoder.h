// The text-to-image pipeline's last stage, chosen by the folder's VAE class:
// denoised latents (unpacked, in the transformer's latent space) to images in
// [-1, 1], undoing the VAE's latent normalisation first as the reference
// pipelines do.
//   AutoencoderDC (DC-Gen-FLUX):  decode(z / scaling_factor); tiled past 32x32 latents
//                                 (bounded memory at 4K, equal to the whole decode).
//   AutoencoderKL (FLUX.1):       decode(z / scaling_factor + shift_factor), whole, or with
//                                 `memory_bound` in diffusers' blended tiles (a slightly
//                                 different picture, memory bounded by the tile).
//
//   DC_TRY(auto decoder, LatentDecoder::load("AutoencoderKL", dir / "vae", {Device::cuda(), DType::kBF16}));
//   Tensor images = decoder->decode(latents, /*memory_bound=*/false);  // [N, C, h, w] -> [N, 3, h·f, w·f]
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/base/result.h"
#include "core/nn/module.h"

namespace dc::pipeline {

class LatentDecoder {
 public:
  // kNotSupported for a VAE class other than the two above.
  static Result<std::unique_ptr<LatentDecoder>> load(const std::string& vae_class, const std::filesystem::path& dir,
                                                     const nn::LoadOptions& options);
  virtual ~LatentDecoder() = default;
  // `memory_bound`: the whole decode does not fit, so decode in tiles even where that
  // changes the picture. Throws ErrorException on device errors (out of memory), as ops do.
  virtual Tensor decode(const Tensor& latents, bool memory_bound) const = 0;
};

}  // namespace dc::pipeline
