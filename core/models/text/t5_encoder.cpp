#include "core/models/text/t5_encoder.h"

#include "core/io/diffusers/config_reader.h"
#include "core/models/text/text_inputs.h"
#include "core/models/text/transformers_folder.h"
#include "core/ops/copy.h"

namespace dc::models::text {

T5Encoder::T5Encoder(T5Config config, bool keep_wo_f32)
    : Module(nullptr, ""),
      config_(std::move(config)),
      shared_(this, "shared", config_.vocab_size, config_.d_model),
      encoder_(this, "encoder"),
      block_(&encoder_, "block"),
      final_layer_norm_(&encoder_, "final_layer_norm", config_.d_model, static_cast<float>(config_.layer_norm_epsilon)) {
  for (int64_t i = 0; i < config_.num_layers; ++i) block_.emplace(config_, /*has_relative_attention_bias=*/i == 0, keep_wo_f32);
}

Result<std::unique_ptr<T5Encoder>> T5Encoder::load(const std::filesystem::path& folder, const nn::LoadOptions& options) {
  DC_TRY(ComponentFolder component, open_transformers_folder(folder, {"T5EncoderModel", "T5ForConditionalGeneration"}));
  DC_TRY(T5Config config, parse_t5_config(component.config));
  auto model = std::make_unique<T5Encoder>(config, /*keep_wo_f32=*/options.dtype == DType::kF16);
  const bool shared_stored = component.weights.contains("shared.weight");
  DC_TRY_STATUS(bind_weights(
      *model, component,
      [&](const std::string& key) {
        return key == "shared.weight" && !shared_stored ? std::string("encoder.embed_tokens.weight") : key;
      },
      options));
  return model;
}

Result<int64_t> T5Encoder::weight_bytes(const std::filesystem::path& folder, DType dtype) {
  DC_TRY(ConfigReader reader, ConfigReader::from_file(folder / "config.json"));
  DC_TRY(T5Config config, parse_t5_config(reader));
  int64_t bytes = parameter_bytes(T5Encoder(config, false), dtype);
  if (dtype == DType::kF16) bytes += config.num_layers * config.d_ff * config.d_model * 2;  // "wo" kept in f32
  return bytes;
}

DType T5Encoder::dtype() const { return shared_.weight().dtype(); }
Device T5Encoder::device() const { return shared_.weight().device(); }

Tensor T5Encoder::forward(const Tensor& input_ids, const Tensor& attention_mask) const {
  const Tensor ids = token_ids_cpu(input_ids, "T5EncoderModel");  // i64 [B, L]
  const int64_t b = ids.size(0), l = ids.size(1);
  const Tensor key_mask = key_mask_on(attention_mask, b, l, device(), "T5EncoderModel");  // u8 [B, L] or {}
  Tensor h = shared_.forward(ops::to_device(ids, device()));  // [B, L, d_model]
  // Block 0 owns the relative attention bias; every block adds the same one.
  const Tensor bias = block_[0].attention().position_bias(l, l);  // f32 [1, H, L, L]
  for (const auto& block : block_) h = block->forward(h, bias, key_mask);  // [B, L, d_model]
  return final_layer_norm_.forward(h);  // [B, L, d_model]
}

}  // namespace dc::models::text
