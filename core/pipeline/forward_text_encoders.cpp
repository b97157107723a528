// dcgen forward for the transformers text encoders:
//   CLIPTextModel:  "input_ids" int [B, L], optional "attention_mask" [B, L]
//                   -> "last_hidden_state", "pooler_output", "penultimate_hidden_state"
//   T5EncoderModel: "input_ids" int [B, L], optional "attention_mask" [B, L] -> "last_hidden_state"
#include <string>

#include "core/models/text/clip_text_model.h"
#include "core/models/text/t5_encoder.h"
#include "core/ops/copy.h"
#include "core/pipeline/component_inputs.h"

namespace dc::pipeline {
namespace {

bool is_integer(DType t) {
  return t == DType::kI64 || t == DType::kI32 || t == DType::kI16 || t == DType::kI8 || t == DType::kU8;
}

// "input_ids": an integer [B, L] tensor (checked before the model loads).
Result<Tensor> token_ids_input(const NamedTensors& inputs) {
  DC_TRY(Tensor ids, required_input(inputs, "input_ids"));
  if (!is_integer(ids.dtype())) {
    return Error::invalid_argument("input 'input_ids' must hold integer token ids (i64 or i32), got " + ids.describe());
  }
  if (ids.dim() != 2 || ids.size(0) == 0 || ids.size(1) == 0) {
    return Error::invalid_argument("input 'input_ids' must be [batch, length], got " + ids.describe());
  }
  return ids;
}

// Every id in [0, vocab_size).
Status check_vocabulary(const Tensor& ids, int64_t vocab_size) {
  const Tensor host = ops::contiguous(ops::cast(ops::to_device(ids, Device::cpu()), DType::kI64));
  const int64_t* id = host.data<int64_t>();
  for (int64_t i = 0; i < host.numel(); ++i) {
    if (id[i] < 0 || id[i] >= vocab_size) {
      return Error::invalid_argument("input 'input_ids' holds id " + std::to_string(id[i]) + " at [" +
                                     std::to_string(i / ids.size(1)) + ", " + std::to_string(i % ids.size(1)) +
                                     "], outside the vocabulary [0, " + std::to_string(vocab_size) + ")");
    }
  }
  return {};
}

// Optional "attention_mask": [B, L] like input_ids, bool / integer / float (nonzero = attend).
Result<Tensor> attention_mask_input(const NamedTensors& inputs, const Tensor& ids) {
  auto it = inputs.find("attention_mask");
  if (it == inputs.end()) return Tensor();
  const Tensor& mask = it->second;
  if (mask.shape() != ids.shape()) {
    return Error::invalid_argument("input 'attention_mask' must have input_ids' shape " +
                                   shape_to_string(ids.shape()) + ", got " + mask.describe());
  }
  const DType t = mask.dtype();
  if (!is_integer(t) && t != DType::kBool && !dtype_is_float(t)) {
    return Error::invalid_argument("input 'attention_mask' must be bool, integer or float, got " + mask.describe());
  }
  return mask;
}

}  // namespace

Result<NamedTensors> run_clip_text_model(const std::filesystem::path& folder, const NamedTensors& inputs,
                                         const ForwardOptions& options) {
  DC_TRY(Tensor ids, token_ids_input(inputs));
  DC_TRY(Tensor mask, attention_mask_input(inputs, ids));
  DC_TRY(auto model, models::text::ClipTextModel::load(folder, options.load));
  DC_TRY_STATUS(check_vocabulary(ids, model->config().vocab_size));
  if (ids.size(1) > model->config().max_position_embeddings) {
    return Error::invalid_argument("input 'input_ids' has length " + std::to_string(ids.size(1)) +
                                   ", more than max_position_embeddings " +
                                   std::to_string(model->config().max_position_embeddings));
  }
  return catch_errors([&] {
    const models::text::ClipTextOutput out = model->forward(ids, mask);
    return NamedTensors{{"last_hidden_state", to_f32_cpu(out.last_hidden_state)},
                        {"pooler_output", to_f32_cpu(out.pooler_output)},
                        {"penultimate_hidden_state", to_f32_cpu(out.penultimate_hidden_state)}};
  });
}

Result<NamedTensors> run_t5_encoder_model(const std::filesystem::path& folder, const NamedTensors& inputs,
                                          const ForwardOptions& options) {
  DC_TRY(Tensor ids, token_ids_input(inputs));
  DC_TRY(Tensor mask, attention_mask_input(inputs, ids));
  DC_TRY(auto model, models::text::T5Encoder::load(folder, options.load));
  DC_TRY_STATUS(check_vocabulary(ids, model->config().vocab_size));
  return catch_errors([&] {
    return NamedTensors{{"last_hidden_state", to_f32_cpu(model->forward(ids, mask))}};
  });
}

}  // namespace dc::pipeline
