// AutoencoderKL decoding: the VAE of standard FLUX.1 (16 latent channels) and
// Stable Diffusion pipelines, mirroring diffusers 0.42.1
// models/autoencoders/autoencoder_kl.py (AutoencoderKL._decode) and vae.py
// (Decoder). Only the decoder side is built and loaded (post_quant_conv when the
// config uses it, then the decoder); encoder and quant_conv tensors in the
// checkpoint are left unread.
//
//   DC_TRY(auto vae, AutoencoderKL::load("FLUX.1-dev/vae", {Device::cuda(), DType::kBF16}));
//   const auto& cfg = vae->config();
//   Tensor z = latents / cfg.scaling_factor + cfg.shift_factor.value_or(0);  // the pipeline's job
//   Tensor image = vae->decode(z);  // like vae.decode(z).sample: [N, 16, h, w] -> [N, 3, 8h, 8w] in ~[-1, 1]
//
// Activations run NCHW contiguous in the load dtype; GroupNorm statistics and
// affines in f32. The mid-block attention has one head as wide as the deepest
// stage (512 for FLUX.1); on CUDA, wider than the fused kernels' 256 it runs
// through attention_split_head_dim (exact, see wide_head_attention.h).
#pragma once

#include <filesystem>
#include <memory>

#include "core/models/autoencoder_kl/config.h"
#include "core/models/autoencoder_kl/decoder.h"

namespace dc::models::autoencoder_kl {

class AutoencoderKL : public nn::Module {
 public:
  explicit AutoencoderKL(AutoencoderKLConfig config);

  // Loads a diffusers component folder (config.json + safetensors weights). Errors:
  // kNotSupported for another _class_name or an option the decoder does not run,
  // kNotFound / kFormat naming the folder and tensor for missing or misshaped weights.
  // Attention weights under their pre-0.14 names (query/key/value/proj_attn), which
  // diffusers converts on load, are read too.
  static Result<std::unique_ptr<AutoencoderKL>> load(const std::filesystem::path& folder,
                                                     const nn::LoadOptions& options);

  const AutoencoderKLConfig& config() const { return config_; }
  // [N, latent_channels, h, w] -> [N, out_channels, h·f, w·f], f = spatial_compression_ratio(),
  // like vae.decode(z).sample without tiling or slicing; z is already un-scaled and
  // un-shifted. Contiguous NCHW out. Throws ErrorException on bad shapes and device errors.
  Tensor decode(const Tensor& latent) const;

  // diffusers' tiled_decode (vae.enable_tiling()): tiles of tile_latent() latent pixels a
  // side, a quarter overlapping, each run through post_quant_conv and the decoder alone; each
  // output tile is blended linearly over a quarter tile into the one above and the one to its
  // left (in place, top-left first), cropped to three quarters and stitched. Memory follows the
  // tile, not the image. Not equal to decode() (each tile has its own GroupNorm statistics and
  // attention) but equal to diffusers' tiled output. Tiles go through host memory (f32); the
  // result is [N, out_channels, h·f, w·f] f32 on the latent's device.
  Tensor decode_tiled(const Tensor& latent) const;
  // diffusers tiles only latents wider or taller than this: sample_size / f.
  int64_t tile_latent() const { return config_.sample_size / config_.spatial_compression_ratio(); }

  // Tests: route the mid-block attention through attention_split_head_dim for heads
  // wider than `dim` on every device (0 restores the default, see AttentionBlock).
  void set_max_fused_head_dim(int64_t dim) { decoder_.set_max_fused_head_dim(dim); }

 private:
  AutoencoderKLConfig config_;
  std::unique_ptr<nn::Conv2d> post_quant_conv_;  // "post_quant_conv" 1x1 latent -> latent, when used
  Decoder decoder_;                              // "decoder"
};

}  // namespace dc::models::autoencoder_kl
