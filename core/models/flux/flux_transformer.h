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
//
// Fast path (same math as diffusers; see attention.h, single_stream_block.h):
// after load, the q/k/v weights of each stream and block, each single block's
// q/k/v + proj_mlp, and every adaLN linear of the model are stacked into fused
// matrices (fused_weights.h; the nn::Linear members keep their checkpoint keys
// and point into them). A step then runs one modulation GEMM for all blocks,
// one QKV GEMM per stream per double block and one C -> 7C GEMM per single
// block, with the residual streams updated in place in one [B, T+L, C] buffer.
//
// CUDA graphs. forward() never reads device memory on the host (the timestep
// and guidance features are computed on the device, ops::timestep_embedding),
// never synchronizes, and with the same input shapes allocates the same sizes
// in the same order every step. To capture a step:
//   1. Put every input on the model's device in the model's dtype, contiguous
//      (hidden_states, encoder_hidden_states, pooled_projections; timestep and
//      guidance as device tensors of any float dtype), in buffers that stay
//      alive and at the same address; between replays write new values into
//      them (e.g. the sigma) with stream-ordered copies.
//   2. Pass `rope` from prepare_rope() (ids are then not read: without it,
//      forward() copies ids to the host and uploads a table, which cannot be
//      captured).
//   3. Run one step uncaptured first, on the capturing stream: it warms the
//      caching allocator (no cudaMalloc inside the capture) and cuBLASLt's
//      algorithm cache.
//   4. Capture forward() on a non-default stream made current with
//      CudaStreamGuard, with no tap sink installed (taps copy to the host).
//   5. Keep the captured output tensor alive. The caching allocator has no
//      graph-private pool: after the capture, the blocks the graph writes are
//      back in its free list, so a tensor allocated between replays may share
//      memory with the graph's scratch. Anything that must survive a replay
//      (latents, the scheduler's buffers) is allocated before the capture;
//      tensors made between replays on the same stream must be dead before the
//      next replay (stream order then makes the reuse safe).
// The recipe holds for a resident model only: with block streaming (below) a
// step re-points weights on the host between block launches, which a graph
// cannot replay, so a streamed model is run uncaptured.
//
// Block streaming, for devices smaller than the weights:
//   DC_TRY(auto flux, FluxTransformer::load_streamed(folder, {Device::cuda(), DType::kBF16}));
// keeps each double/single block's weights in page-locked host memory and uploads
// them into two device slots block by block during forward() (nn::BlockStreamer),
// the next block's upload overlapping the current block; the embedders, the fused
// adaLN modulation matrix, norm_out and proj_out stay on the device. Results are
// bit-identical to the resident model's.
#pragma once

#include <filesystem>
#include <memory>

#include "core/models/flux/ada_norm.h"
#include "core/models/flux/double_stream_block.h"
#include "core/models/flux/embeddings.h"
#include "core/models/flux/fused_weights.h"
#include "core/models/flux/single_stream_block.h"
#include "core/nn/block_streaming.h"

namespace dc::models::flux {

// The arguments of FluxTransformer2DModel.forward. Float inputs are cast to the
// model's dtype and device (no copy when they already are); ids may be float
// or integer on any device.
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

class FluxTransformer : public FusingModule {
 public:
  explicit FluxTransformer(FluxConfig config);

  // Loads a diffusers component folder: config.json + diffusion_pytorch_model.safetensors
  // (or its sharded index). Checkpoint tensors the model does not use are logged.
  static Result<std::unique_ptr<FluxTransformer>> load(const std::filesystem::path& folder,
                                                       const nn::LoadOptions& options);
  // Loads on the CPU at options.dtype, then stream_blocks(options.device).
  static Result<std::unique_ptr<FluxTransformer>> load_streamed(const std::filesystem::path& folder,
                                                                const nn::LoadOptions& options);
  // For a model loaded on the CPU: moves the blocks' weights into the streamer's
  // host store and everything else to `device` (the CPU: slots in host memory,
  // the same code path, for tests). Call once, before forward().
  Status stream_blocks(Device device);
  // The streamer when blocks stream (sizes for logs), else null.
  const nn::BlockStreamer* block_streamer() const { return streamer_.get(); }

  const FluxConfig& config() const { return config_; }
  // invalid_argument naming the input (shape, dtype, missing or unexpected guidance).
  // Reads shapes only, except ids when no prepared rope is given.
  Status validate(const FluxInputs& inputs) const;
  // FluxPosEmbed for cat(txt_ids, img_ids), on the model's device; reuse it for
  // every step that has the same ids. Errors name the input.
  Result<FluxRope> prepare_rope(const Tensor& img_ids, const Tensor& txt_ids) const;
  // -> sample [B, L, patch_size² · out_channels] in the model's dtype.
  // Throws ErrorException (invalid_argument) on inputs validate() rejects.
  Tensor forward(const FluxInputs& inputs) const;

 protected:
  // Stacks every adaLN linear (double blocks' norm1, norm1_context, single
  // blocks' norm, norm_out, in forward order) into modulation_.
  Status after_load(const nn::LoadOptions& options) override;

 private:
  // `timestep.to(dtype) * 1000` of FluxTransformer2DModel.forward.
  static constexpr float kTimestepScale = 1000.0f;
  // The timestep (or guidance) projection on the model's device: x1000 rounded in
  // the compute dtype, then the sinusoidal features, [B, 256] ([1] broadcast to B).
  Tensor timestep_proj(const Tensor& values, int64_t batch) const;

  FluxConfig config_;
  TimeTextEmbedding time_text_embed_;                            // "time_text_embed"
  nn::Linear context_embedder_;                                  // "context_embedder"
  nn::Linear x_embedder_;                                        // "x_embedder"
  nn::ModuleList<DoubleStreamBlock> transformer_blocks_;         // "transformer_blocks"
  nn::ModuleList<SingleStreamBlock> single_transformer_blocks_;  // "single_transformer_blocks"
  AdaNormModulation norm_out_;                                   // "norm_out" (AdaLayerNormContinuous: scale, shift)
  nn::Linear proj_out_;                                          // "proj_out"
  FusedLinear modulation_;                                       // [ΣN, C]: every adaLN linear, stacked
  std::unique_ptr<nn::BlockStreamer> streamer_;                  // set by stream_blocks()
};

}  // namespace dc::models::flux
