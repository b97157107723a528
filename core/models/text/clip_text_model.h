// ClipTextModel: the text tower of CLIP, mirroring transformers'
// CLIPTextModel (transformers/models/clip/modeling_clip.py): token + position
// embeddings, pre-LayerNorm encoder layers under a causal mask, final LayerNorm,
// and the pooled state at the EOS position. FLUX.1 and SD 1.x/2.x/XL use it as
// text_encoder.
//
//   DC_TRY(auto clip, ClipTextModel::load("FLUX.1-dev/text_encoder", {Device::cuda(), DType::kBF16}));
//   ClipTextOutput out = clip->forward(input_ids);   // ids i64 [B, L]
//   out.pooler_output;                               // [B, hidden] (FLUX's pooled_projections input)
//
// Weights load from a transformers folder (config.json + model.safetensors or a
// sharded index), with keys either as transformers 5 writes them
// ("embeddings.token_embedding.weight") or under transformers 4's
// "text_model." prefix; other tensors in the files (position_ids) are ignored.
#pragma once

#include <filesystem>
#include <memory>

#include "core/models/text/clip_config.h"
#include "core/nn/linear.h"

namespace dc::models::text {

struct ClipTextOutput {
  Tensor last_hidden_state;         // [B, L, hidden] after final_layer_norm
  Tensor pooler_output;             // [B, hidden], last_hidden_state at each row's EOS position
  Tensor penultimate_hidden_state;  // [B, L, hidden] hidden_states[-2]: the last layer's input (SDXL)
};

// Multi-head self-attention with biased q/k/v/out projections ("self_attn").
class ClipAttention : public nn::Module {
 public:
  ClipAttention(Module* parent, std::string name, const ClipTextConfig& c);
  // x [B, L, C]; key_mask [B, L] or undefined.
  Tensor forward(const Tensor& x, const Tensor& key_mask) const;

 private:
  int64_t heads_, head_dim_;
  nn::Linear q_proj_;    // "q_proj"
  nn::Linear k_proj_;    // "k_proj"
  nn::Linear v_proj_;    // "v_proj"
  nn::Linear out_proj_;  // "out_proj"
};

// fc1 -> hidden_act -> fc2 ("mlp").
class ClipMLP : public nn::Module {
 public:
  ClipMLP(Module* parent, std::string name, const ClipTextConfig& c);
  Tensor forward(const Tensor& x) const;

 private:
  ops::Activation act_;
  nn::Linear fc1_;  // "fc1"
  nn::Linear fc2_;  // "fc2"
};

// CLIPEncoderLayer: x + attn(ln1(x)), then x + mlp(ln2(x)).
class ClipEncoderLayer : public nn::Module {
 public:
  ClipEncoderLayer(Module* parent, std::string name, const ClipTextConfig& c);
  Tensor forward(const Tensor& x, const Tensor& key_mask) const;

 private:
  nn::LayerNorm layer_norm1_;  // "layer_norm1"
  ClipAttention self_attn_;    // "self_attn"
  nn::LayerNorm layer_norm2_;  // "layer_norm2"
  ClipMLP mlp_;                // "mlp"
};

class ClipTextModel : public nn::Module {
 public:
  explicit ClipTextModel(ClipTextConfig config);

  static Result<std::unique_ptr<ClipTextModel>> load(const std::filesystem::path& folder,
                                                     const nn::LoadOptions& options);
  // Bytes the weights take at `dtype` (from config.json alone; nothing is read
  // from the weight files), for residency planning.
  static Result<int64_t> weight_bytes(const std::filesystem::path& folder, DType dtype);

  const ClipTextConfig& config() const { return config_; }
  DType dtype() const;    // the loaded weights' dtype
  Device device() const;  // and device
  // input_ids i64/i32 [B, L] (L ≤ max_position_embeddings, ids in [0, vocab)),
  // attention_mask [B, L] (1 = token, 0 = padding) or undefined, on any device.
  // Throws ErrorException on bad inputs; outputs are in the weights' dtype/device.
  ClipTextOutput forward(const Tensor& input_ids, const Tensor& attention_mask = {}) const;

  // Row b's pooling position: argmax(ids[b]) (first of equal maxima) when
  // eos_token_id == 2, else the first position holding eos_token_id (0 if none),
  // as transformers' CLIPTextTransformer does. ids: CPU i64 [B, L].
  std::vector<int64_t> pooling_positions(const Tensor& ids) const;

 private:
  ClipTextConfig config_;
  nn::Module embeddings_;                          // "embeddings"
  nn::Embedding token_embedding_;                  // "embeddings.token_embedding"
  nn::Embedding position_embedding_;               // "embeddings.position_embedding"
  nn::Module encoder_;                             // "encoder"
  nn::ModuleList<ClipEncoderLayer> layers_;        // "encoder.layers"
  nn::LayerNorm final_layer_norm_;                 // "final_layer_norm"
};

}  // namespace dc::models::text
