// Text-to-image with FLUX-architecture pipelines (diffusers FluxPipeline folders):
// DC-Gen-FLUX (AutoencoderDC VAE, 1x1 latent patches — the DC-Gen repository's
// DCGen_FluxPipeline) and standard FLUX.1 (AutoencoderKL VAE, 16-channel latents
// packed 2x2 — diffusers' FluxPipeline). The VAE is chosen by class (latent_decoder.h).
//
//   DC_TRY(auto pipe, FluxPipeline::open(dir, {.device = Device::cuda(), .dtype = DType::kBF16}));
//   DC_TRY(TextToImageResult r, pipe->generate(request, events));
//
// Stages run one after another on the calling thread: CLIP + T5 encode, the
// denoise loop, the VAE decode (DC-AE tiled for large images; AutoencoderKL whole). Which weights stay on the
// device between stages and jobs follows the memory budget (memory_budget.h);
// a transformer larger than the budget streams its blocks from host memory
// (FluxTransformer::load_streamed), bit-identical to a resident run.
// A request's LoRAs are merged into the transformer's weights and stay merged for
// the next job asking the same set (core/models/flux/flux_lora.h).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "core/base/result.h"
#include "core/nn/module.h"
#include "core/pipeline/text_to_image.h"

namespace dc::pipeline {

struct FluxPipelineOptions {
  Device device = Device::cpu();
  DType dtype = DType::kF32;  // compute dtype of every stage
  // CUDA: bytes the job may hold; 0 = free memory at open time. CPU: bytes a job's
  // largest stage may take; 0 = the system's free memory at each job.
  size_t vram_budget = 0;
  // Stream the transformer's blocks from host memory even when it fits the budget
  // (leaves the device to other work; tests). Without it, streaming is chosen only
  // for budgets the resident transformer exceeds. Not with LoRAs.
  bool stream_transformer_blocks = false;
};

// What the folder holds, for UIs, logs and metadata.
struct FluxPipelineInfo {
  std::string name;             // the model card's label, else the folder's name
  bool demo = false;            // the model card says it is a demo model (model_card.h)
  int default_width = 1024;     // the card's resolution, else DC-Gen's: 4096 for 64x latents, 1024 otherwise
  int default_height = 1024;
  std::string vae_class;        // "AutoencoderDC" or "AutoencoderKL"
  int64_t latent_channels = 0;  // VAE latent channels
  int64_t vae_scale = 0;        // image pixels per latent pixel (32, 64; 8 for FLUX.1)
  int64_t patch = 1;            // latent pixels per transformer token side (1 DC-Gen, 2 FLUX.1)
  bool guidance_embeds = false; // FLUX-dev style distilled guidance
  bool can_decode = false;      // the VAE is one we run (else generate() refuses, saying why)
  SigmaShift default_shift = SigmaShift::kFlux;  // what kAuto resolves to
  std::string residency;        // the residency plan, explained
};

class FluxPipeline {
 public:
  static Result<std::unique_ptr<FluxPipeline>> open(const std::filesystem::path& dir,
                                                    const FluxPipelineOptions& options);
  ~FluxPipeline();
  FluxPipeline(const FluxPipeline&) = delete;
  FluxPipeline& operator=(const FluxPipeline&) = delete;

  const FluxPipelineInfo& info() const;
  // Runs one job; Error::cancelled when events.cancel fires (checked between
  // steps and stages), Error::out_of_memory when the budget cannot hold a stage.
  Result<TextToImageResult> generate(const TextToImageRequest& request, const GenerationEvents& events = {});

 private:
  struct Impl;
  explicit FluxPipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dc::pipeline
