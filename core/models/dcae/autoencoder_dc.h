// AutoencoderDC: the deep-compression autoencoder (DC-AE) of SANA and DC-Gen,
// mirroring diffusers/models/autoencoders/autoencoder_dc.py (AutoencoderDC).
//
//   DC_TRY(auto ae, AutoencoderDC::load("DC-Gen-FLUX/vae", {Device::cuda(), DType::kBF16}));
//   Tensor z = ae->encode(image);            // unscaled latent, like encode(x).latent
//   Tensor img = ae->decode(z);              // like decode(z).sample
//   Tensor big = ae->decode_tiled(z, {});    // bounded memory for 4K+
#pragma once

#include <filesystem>
#include <memory>

#include "core/models/dcae/decoder.h"
#include "core/models/dcae/encoder.h"

namespace dc::models::dcae {

// Memory layout the network runs in. Channels-last (NHWC memory, PyTorch's
// channels_last) is what cuDNN's fast convolutions and our row kernels want on
// the GPU; the CPU reference convolution is NCHW, so kAuto keeps NCHW there.
// Inputs and outputs are contiguous NCHW whatever runs inside.
enum class MemoryFormat { kAuto, kContiguous, kChannelsLast };

struct TiledDecodeOptions {
  int64_t tile_latent = 32;    // latent pixels per tile side (1024 image px at f32)
  int64_t overlap_latent = 0;  // extra context per side beyond the tail's exact receptive halo
};

class AutoencoderDC : public nn::Module {
 public:
  explicit AutoencoderDC(DCAEConfig config);

  // Loads a diffusers component folder (config.json + safetensors weights).
  static Result<std::unique_ptr<AutoencoderDC>> load(const std::filesystem::path& folder,
                                                     const nn::LoadOptions& options);

  const DCAEConfig& config() const { return config_; }
  void set_memory_format(MemoryFormat format) { memory_format_ = format; }
  MemoryFormat memory_format() const { return memory_format_; }
  // Throw ErrorException on bad shapes; the Result-returning boundary is the caller's.
  Tensor encode(const Tensor& sample) const;  // [N, 3, H, W] in [-1, 1] -> [N, latent, H/f, W/f]
  Tensor decode(const Tensor& latent) const;  // [N, latent, h, w] -> [N, 3, h·f, w·f]
  // Runs the decoder's attention stages whole (they are global but at a fraction
  // of the output resolution), then its conv-only tail on tiles with the tail's
  // receptive halo, cropping each to its core. The result equals decode() up to
  // float summation order; peak memory follows the tile size plus the head's
  // low-resolution activations instead of full-resolution ones.
  Tensor decode_tiled(const Tensor& latent, const TiledDecodeOptions& options) const;

 private:
  // x in the layout the network runs in (kAuto: channels-last on CUDA).
  Tensor to_run_layout(const Tensor& x) const;

  DCAEConfig config_;
  MemoryFormat memory_format_ = MemoryFormat::kAuto;
  Encoder encoder_;  // "encoder"
  Decoder decoder_;  // "decoder"
};

}  // namespace dc::models::dcae
