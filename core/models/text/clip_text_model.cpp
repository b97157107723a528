#include "core/models/text/clip_text_model.h"

#include "core/base/assert.h"
#include "core/io/diffusers/config_reader.h"
#include "core/models/text/text_inputs.h"
#include "core/models/text/transformers_folder.h"
#include "core/ops/attention.h"
#include "core/ops/copy.h"

namespace dc::models::text {

ClipAttention::ClipAttention(Module* parent, std::string name, const ClipTextConfig& c)
    : Module(parent, std::move(name)),
      heads_(c.num_attention_heads),
      head_dim_(c.head_dim()),
      q_proj_(this, "q_proj", c.hidden_size, c.hidden_size),
      k_proj_(this, "k_proj", c.hidden_size, c.hidden_size),
      v_proj_(this, "v_proj", c.hidden_size, c.hidden_size),
      out_proj_(this, "out_proj", c.hidden_size, c.hidden_size) {}

Tensor ClipAttention::forward(const Tensor& x, const Tensor& key_mask) const {
  const int64_t b = x.size(0), l = x.size(1);
  const Shape heads{b, l, heads_, head_dim_};
  const Tensor q = q_proj_.forward(x).view(heads);  // [B, L, H, D]
  const Tensor k = k_proj_.forward(x).view(heads);  // [B, L, H, D]
  const Tensor v = v_proj_.forward(x).view(heads);  // [B, L, H, D]
  ops::AttentionOptions options;  // scale head_dim^-0.5 (the default)
  options.causal = true;          // CLIP's text tower is causal
  options.key_mask = key_mask;
  const Tensor o = ops::attention(q, k, v, options);  // [B, L, H, D]
  return out_proj_.forward(o.view({b, l, heads_ * head_dim_}));                     // [B, L, C]
}

ClipMLP::ClipMLP(Module* parent, std::string name, const ClipTextConfig& c)
    : Module(parent, std::move(name)),
      act_(c.hidden_act),
      fc1_(this, "fc1", c.hidden_size, c.intermediate_size),
      fc2_(this, "fc2", c.intermediate_size, c.hidden_size) {}

Tensor ClipMLP::forward(const Tensor& x) const {
  return fc2_.forward(ops::activation(fc1_.forward(x), act_));  // [B, L, C]
}

ClipEncoderLayer::ClipEncoderLayer(Module* parent, std::string name, const ClipTextConfig& c)
    : Module(parent, std::move(name)),
      layer_norm1_(this, "layer_norm1", c.hidden_size, static_cast<float>(c.layer_norm_eps)),
      self_attn_(this, "self_attn", c),
      layer_norm2_(this, "layer_norm2", c.hidden_size, static_cast<float>(c.layer_norm_eps)),
      mlp_(this, "mlp", c) {}

Tensor ClipEncoderLayer::forward(const Tensor& x, const Tensor& key_mask) const {
  const Tensor h = ops::add(x, self_attn_.forward(layer_norm1_.forward(x), key_mask));  // [B, L, C]
  tap("attn_residual", h);
  return ops::add(h, mlp_.forward(layer_norm2_.forward(h)));  // [B, L, C]
}

ClipTextModel::ClipTextModel(ClipTextConfig config)
    : Module(nullptr, ""),
      config_(config),
      embeddings_(this, "embeddings"),
      token_embedding_(&embeddings_, "token_embedding", config_.vocab_size, config_.hidden_size),
      position_embedding_(&embeddings_, "position_embedding", config_.max_position_embeddings, config_.hidden_size),
      encoder_(this, "encoder"),
      layers_(&encoder_, "layers"),
      final_layer_norm_(this, "final_layer_norm", config_.hidden_size, static_cast<float>(config_.layer_norm_eps)) {
  for (int64_t i = 0; i < config_.num_hidden_layers; ++i) layers_.emplace(config_);
}

Result<std::unique_ptr<ClipTextModel>> ClipTextModel::load(const std::filesystem::path& folder,
                                                           const nn::LoadOptions& options) {
  DC_TRY(ComponentFolder component, open_transformers_folder(folder, {"CLIPTextModel"}));
  DC_TRY(ClipTextConfig config, parse_clip_text_config(component.config));
  auto model = std::make_unique<ClipTextModel>(config);
  // transformers 4 stored the tower under "text_model."; transformers 5 writes the keys bare.
  const bool prefixed = component.weights.contains("text_model.embeddings.token_embedding.weight");
  const std::string prefix = prefixed ? "text_model." : "";
  DC_TRY_STATUS(bind_weights(*model, component, [&](const std::string& key) { return prefix + key; }, options));
  return model;
}

Result<int64_t> ClipTextModel::weight_bytes(const std::filesystem::path& folder, DType dtype) {
  DC_TRY(ConfigReader reader, ConfigReader::from_file(folder / "config.json"));
  DC_TRY(ClipTextConfig config, parse_clip_text_config(reader));
  return parameter_bytes(ClipTextModel(config), dtype);
}

DType ClipTextModel::dtype() const { return token_embedding_.weight().dtype(); }
Device ClipTextModel::device() const { return token_embedding_.weight().device(); }

std::vector<int64_t> ClipTextModel::pooling_positions(const Tensor& ids) const {
  DC_ASSERT(ids.dim() == 2 && ids.dtype() == DType::kI64 && !ids.is_cuda() && ids.is_contiguous());
  const int64_t b = ids.size(0), l = ids.size(1);
  const int64_t* p = ids.data<int64_t>();
  std::vector<int64_t> positions(b, 0);
  for (int64_t r = 0; r < b; ++r) {
    const int64_t* row = p + r * l;
    int64_t best = 0;
    for (int64_t i = 0; i < l; ++i) {
      if (config_.legacy_eos_pooling()) {
        if (row[i] > row[best]) best = i;  // strict: the first of equal maxima, as torch.argmax
      } else if (row[i] == config_.eos_token_id) {
        best = i;
        break;
      }
    }
    positions[r] = best;
  }
  return positions;
}

ClipTextOutput ClipTextModel::forward(const Tensor& input_ids, const Tensor& attention_mask) const {
  const Tensor ids = token_ids_cpu(input_ids, "CLIPTextModel");  // i64 [B, L]
  const int64_t b = ids.size(0), l = ids.size(1);
  DC_CHECK(l <= config_.max_position_embeddings, "CLIPTextModel: sequence length " << l
                                                     << " exceeds max_position_embeddings "
                                                     << config_.max_position_embeddings);
  const Tensor key_mask = key_mask_on(attention_mask, b, l, device(), "CLIPTextModel");  // u8 [B, L] or {}

  const Tensor ids_dev = ops::to_device(ids, device());
  std::vector<int64_t> steps(l);
  for (int64_t i = 0; i < l; ++i) steps[i] = i;
  const Tensor positions = ops::to_device(Tensor::from_vector_i64(steps, {l}), device());
  Tensor h = ops::add(token_embedding_.forward(ids_dev), position_embedding_.forward(positions));  // [B, L, C]

  ClipTextOutput out;
  for (size_t i = 0; i < layers_.size(); ++i) {
    if (i + 1 == layers_.size()) out.penultimate_hidden_state = h;  // hidden_states[-2]
    h = layers_[i].forward(h, key_mask);                            // [B, L, C]
  }
  out.last_hidden_state = final_layer_norm_.forward(h);  // [B, L, C]

  const std::vector<int64_t> at_eos = pooling_positions(ids);
  std::vector<Tensor> pooled;
  for (int64_t r = 0; r < b; ++r) {
    const int64_t at = at_eos[r];
    pooled.push_back(out.last_hidden_state.select(0, r).slice(0, at, at + 1));  // [1, C]
  }
  out.pooler_output = ops::concat(pooled, 0);  // [B, C]
  return out;
}

}  // namespace dc::models::text
