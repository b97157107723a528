// T5Encoder: the encoder stack of T5, mirroring transformers' T5EncoderModel
// (transformers/models/t5/modeling_t5.py): shared token embedding, blocks of
// self-attention (relative position bias owned by block 0, no score scaling)
// and ReLU or gated-GELU feed-forward, each pre-normed by T5LayerNorm, and a
// final T5LayerNorm. FLUX.1 uses google/t5-v1_1-xxl's encoder as text_encoder_2.
//
//   DC_TRY(auto t5, T5Encoder::load("FLUX.1-dev/text_encoder_2", {Device::cuda(), DType::kBF16}));
//   Tensor h = t5->forward(input_ids);   // ids i64 [B, L] -> [B, L, d_model]
//
// Loads T5EncoderModel folders (and T5ForConditionalGeneration ones, whose
// encoder weights have the same names), single-file or sharded. The embedding is
// "shared.weight", or "encoder.embed_tokens.weight" when only that is stored
// (the two are tied). At f16, "wo" stays f32 and the residual stream becomes f32
// after the first feed-forward, as transformers does (_keep_in_fp32_modules);
// bf16 keeps every weight in bf16, also as transformers does.
#pragma once

#include <filesystem>
#include <memory>

#include "core/models/text/t5_block.h"

namespace dc::models::text {

class T5Encoder : public nn::Module {
 public:
  // keep_wo_f32: bind every "wo" weight in f32 whatever the load dtype.
  T5Encoder(T5Config config, bool keep_wo_f32);

  static Result<std::unique_ptr<T5Encoder>> load(const std::filesystem::path& folder, const nn::LoadOptions& options);
  // Bytes the weights take when loaded at `dtype` (from config.json alone).
  static Result<int64_t> weight_bytes(const std::filesystem::path& folder, DType dtype);

  const T5Config& config() const { return config_; }
  DType dtype() const;    // the loaded embedding's dtype (the output dtype)
  Device device() const;
  // input_ids integer [B, L] with ids in [0, vocab), attention_mask [B, L]
  // (1 = token, 0 = padding) or undefined, on any device -> last_hidden_state
  // [B, L, d_model] in the weights' dtype. Throws ErrorException on bad inputs.
  Tensor forward(const Tensor& input_ids, const Tensor& attention_mask = {}) const;

 private:
  T5Config config_;
  nn::Embedding shared_;                 // "shared" (or the tied "encoder.embed_tokens")
  nn::Module encoder_;                   // "encoder"
  nn::ModuleList<T5Block> block_;        // "encoder.block"
  T5LayerNorm final_layer_norm_;         // "encoder.final_layer_norm"
};

}  // namespace dc::models::text
