// What a text-to-image job asks for and what it reports back: plain structs
// shared by dcgen, the project renderer and the app (no model types here).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/cancellation.h"
#include "core/io/lora/lora_spec.h"
#include "core/tensor/tensor.h"

namespace dc::pipeline {

// How sigmas are warped for the image size (see flow_match_scheduler.h).
enum class SigmaShift {
  kAuto,   // flux2 for DC-Gen's f32c32 (Res1K) pipelines, the FLUX dynamic shift otherwise
  kFlux,   // FluxPipeline: calculate_shift(image tokens) -> mu
  kFlux2,  // DC-Gen "flux2": r = sqrt(tokens · channels / 4096)
};
// The schedule names of .dcproj shots, dcgen --shift and the app: "auto", "flux", "flux2"
// (callers validate the name; anything else reads as kAuto).
SigmaShift sigma_shift_from_name(std::string_view name);
const char* sigma_shift_name(SigmaShift shift);

struct TextToImageRequest {
  std::string prompt;
  std::string prompt_2;         // T5 prompt; empty means `prompt`
  std::string negative_prompt;  // used with true CFG (true_cfg_scale > 1)
  float true_cfg_scale = 1.0f;  // > 1 with a negative prompt: two transformer passes per step
  float guidance = 3.5f;        // embedded (distilled) guidance of FLUX-dev style models
  int steps = 20;
  int width = 1024;
  int height = 1024;
  int batch = 1;                // image k uses seed + k, so any image can be re-made alone
  uint64_t seed = 0;
  SigmaShift shift = SigmaShift::kAuto;
  // T5 tokens; 0: the tokenizer_2 folder's model_max_length capped at 512 (FLUX.1-dev and
  // DC-Gen: 512) — FluxPipeline's default, and shorter for small models that declare it.
  int max_sequence_length = 0;
  // Optional initial noise [batch, C, h, w] (f32), replacing the seeded draw:
  // how tests inject the reference pipeline's noise.
  Tensor initial_noise;
  int preview_every = 0;        // emit a latent preview every N steps (0: never)
  // Merged into the transformer for this job, in order (core/models/flux/flux_lora.h); the
  // pipeline keeps them merged for the next job asking the same set.
  std::vector<LoRASpec> loras;
};

// A LoRA a job ran with, for image metadata.
struct AppliedLoRA {
  std::string name;    // the file's stem, as A1111 names LoRAs in "<lora:name:strength>"
  double strength = 1.0;
  std::string sha256;  // of the file after its header (A1111 "Lora hashes", Civitai AutoV3)
};

enum class GenerationPhase { kLoading, kEncodingText, kDenoising, kDecoding, kDone };
const char* phase_name(GenerationPhase phase);

struct GenerationProgress {
  GenerationPhase phase = GenerationPhase::kLoading;
  int step = 0;   // steps finished in this phase
  int total = 0;  // steps of this phase (denoising: the sampling steps)
  double seconds = 0;  // since the job started
};

struct GenerationEvents {
  std::function<void(const GenerationProgress&)> on_progress;
  // A cheap RGB preview of the current clean-latent estimate: [batch, 3, h, w]
  // f32 CPU in [-1, 1] at latent resolution.
  std::function<void(int step, const Tensor& preview)> on_preview;
  std::function<void(const std::string& warning)> on_warning;  // e.g. a truncated prompt
  CancellationToken cancel;
};

struct TextToImageResult {
  Tensor images;                // [batch, 3, H, W] f32 CPU in [-1, 1]
  std::vector<uint64_t> seeds;  // per image
  std::string sigma_schedule;   // "flux" or "flux2" (what kAuto chose)
  int max_sequence_length = 0;  // the T5 length used
  double seconds_text = 0, seconds_denoise = 0, seconds_decode = 0;
  size_t peak_device_bytes = 0;  // CUDA runs: the allocator's peak over the job
  std::vector<AppliedLoRA> loras;  // the request's, in order
};

}  // namespace dc::pipeline
