#include "core/models/text/clip_config.h"

#include <string>

#include "core/io/diffusers/config_reader.h"

namespace dc::models::text {
Result<ClipTextConfig> parse_clip_text_config(const ConfigReader& r) {
  ClipTextConfig c;
  DC_TRY(c.vocab_size, r.get_int_or("vocab_size", c.vocab_size));
  DC_TRY(c.hidden_size, r.get_int_or("hidden_size", c.hidden_size));
  DC_TRY(c.intermediate_size, r.get_int_or("intermediate_size", c.intermediate_size));
  DC_TRY(c.num_hidden_layers, r.get_int_or("num_hidden_layers", c.num_hidden_layers));
  DC_TRY(c.num_attention_heads, r.get_int_or("num_attention_heads", c.num_attention_heads));
  DC_TRY(c.max_position_embeddings, r.get_int_or("max_position_embeddings", c.max_position_embeddings));
  DC_TRY(c.layer_norm_eps, r.get_float_or("layer_norm_eps", c.layer_norm_eps));
  DC_TRY(c.eos_token_id, r.get_int_or("eos_token_id", c.eos_token_id));
  DC_TRY(std::string act, r.get_string_or("hidden_act", "quick_gelu"));
  auto parsed = ops::activation_from_name(act);
  if (!parsed) return Error::format(r.context() + ": hidden_act: " + parsed.error().message());
  c.hidden_act = *parsed;

  DC_TRY_STATUS(r.check_positive("vocab_size", c.vocab_size));
  DC_TRY_STATUS(r.check_positive("hidden_size", c.hidden_size));
  DC_TRY_STATUS(r.check_positive("intermediate_size", c.intermediate_size));
  DC_TRY_STATUS(r.check_positive("num_hidden_layers", c.num_hidden_layers));
  DC_TRY_STATUS(r.check_positive("num_attention_heads", c.num_attention_heads));
  DC_TRY_STATUS(r.check_positive("max_position_embeddings", c.max_position_embeddings));
  if (c.hidden_size % c.num_attention_heads != 0) {
    return Error::format(r.context() + ": hidden_size " + std::to_string(c.hidden_size) +
                         " is not a multiple of num_attention_heads " + std::to_string(c.num_attention_heads));
  }
  if (!(c.layer_norm_eps > 0)) return Error::format(r.context() + ": layer_norm_eps must be positive");
  return c;
}

}  // namespace dc::models::text
