// FluxTransformer: the FLUX.1 rectified-flow transformer, mirroring diffusers
// FluxTransformer2DModel (diffusers/models/transformers/transformer_flux.py):
// x_embedder / context_embedder, time_text_embed, num_layers double-stream
// blocks, num_single_layers single-stream blocks over [txt, img], then
// norm_out (AdaLayerNormContinuous) and proj_out on the image tokens.
//
//   DC_TRY(auto flux, FluxTransformer::load("DC-Gen-FLUX/transformer", {Device::cuda(), DType::kBF16}));
//   DC_TRY(FluxRope rope, flux->prepare_rope(img_ids, txt_ids));   // once per denoising run
//   for (...) {
//     Tensor v = flux->forward({.hidden_states = latents, .encoder_hidden_states = t5, .pooled_projections = clip,
//                               .timestep = sigma, .guidance = g, .rope = &rope});   // [B, L, out]
//   }
#pragma once

#include <filesystem>
#include <memory>

#include "core/models/flux/ada_norm.h"
#include "core/models/flux/double_stream_block.h"
#include "core/models/flux/embeddings.h"
#include "core/models/flux/single_stream_block.h"

namespace dc::models::flux {

// The arguments of FluxTransformer2DModel.forward. Float inputs are cast to the
// model's dtype and device; ids may be float or integer on any device.
struct FluxInputs {
  Tensor hidden_states;            // [B, L, in_channels] image tokens (1x1 DC-AE latents or 2x2-packed VAE latents)
  Tensor encoder_hidden_states;    // [B, T, joint_attention_dim] T5 embeddings
  Tensor pooled_projections;       // [B, pooled_projection_dim] pooled CLIP embedding
  Tensor timestep;                 // [B] (or [1], broadcast): sigma; the module multiplies by 1000, as diffusers'
  Tensor img_ids;                  // [L, A] or deprecated [B, L, A]; A = axes_dims_rope.size()
  Tensor txt_ids;                  // [T, A] or deprecated [B, T, A]
  Tensor guidance;                 // [B] (or [1]) guidance scale, required iff guidance_embeds (x1000 inside)
  const FluxRope* rope = nullptr;  // from prepare_rope(); img_ids/txt_ids are then not read
};

class FluxTransformer : public nn::Module {
 public:
  explicit FluxTransformer(FluxConfig config);

  // Loads a diffusers component folder: config.json + diffusion_pytorch_model.safetensors
  // (or its sharded index). Checkpoint tensors the model does not use are logged.
  static Result<std::unique_ptr<FluxTransformer>> load(const std::filesystem::path& folder,
                                                       const nn::LoadOptions& options);

  const FluxConfig& config() const { return config_; }
  // invalid_argument naming the input (shape, dtype, missing or unexpected guidance).
  Status validate(const FluxInputs& inputs) const;
  // FluxPosEmbed for cat(txt_ids, img_ids), on the model's device; reuse it for
  // every step that has the same ids. Errors name the input.
  Result<FluxRope> prepare_rope(const Tensor& img_ids, const Tensor& txt_ids) const;
  // -> sample [B, L, patch_size² · out_channels] in the model's dtype.
  // Throws ErrorException (invalid_argument) on inputs validate() rejects.
  Tensor forward(const FluxInputs& inputs) const;

 private:
  // The timestep (or guidance) projection: x1000 rounded in the compute dtype,
  // then the sinusoidal features, [B, 256] (a [1] input broadcast to B rows).
  Tensor scaled_features(const Tensor& values, int64_t batch) const;

  FluxConfig config_;
  TimeTextEmbedding time_text_embed_;                            // "time_text_embed"
  nn::Linear context_embedder_;                                  // "context_embedder"
  nn::Linear x_embedder_;                                        // "x_embedder"
  nn::ModuleList<DoubleStreamBlock> transformer_blocks_;         // "transformer_blocks"
  nn::ModuleList<SingleStreamBlock> single_transformer_blocks_;  // "single_transformer_blocks"
  AdaNormModulation norm_out_;                                   // "norm_out" (AdaLayerNormContinuous: scale, shift)
  nn::Linear proj_out_;                                          // "proj_out"
};

}  // namespace dc::models::flux
