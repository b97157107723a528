#include "core/models/flux/config.h"

#include <numeric>
#include <string>

#include "core/io/diffusers/config_reader.h"

namespace dc::models::flux {

Result<FluxConfig> parse_flux_config(const ConfigReader& r) {
  FluxConfig c;
  DC_TRY(c.patch_size, r.get_int_or("patch_size", 1));
  DC_TRY(c.in_channels, r.get_int_or("in_channels", 64));
  DC_TRY(int64_t out_channels, r.get_int_or("out_channels", 0));
  c.out_channels = out_channels != 0 ? out_channels : c.in_channels;  // `out_channels or in_channels`
  DC_TRY(c.num_layers, r.get_int_or("num_layers", 19));
  DC_TRY(c.num_single_layers, r.get_int_or("num_single_layers", 38));
  DC_TRY(c.attention_head_dim, r.get_int_or("attention_head_dim", 128));
  DC_TRY(c.num_attention_heads, r.get_int_or("num_attention_heads", 24));
  DC_TRY(c.joint_attention_dim, r.get_int_or("joint_attention_dim", 4096));
  DC_TRY(c.pooled_projection_dim, r.get_int_or("pooled_projection_dim", 768));
  DC_TRY(c.guidance_embeds, r.get_bool_or("guidance_embeds", false));
  DC_TRY(c.axes_dims_rope, r.get_int_list_or("axes_dims_rope", {16, 56, 56}));

  auto invalid = [&](const std::string& what) { return Error::format(r.context() + ": " + what); };
  const std::pair<const char*, int64_t> positive[] = {
      {"patch_size", c.patch_size},
      {"in_channels", c.in_channels},
      {"out_channels", c.out_channels},
      {"attention_head_dim", c.attention_head_dim},
      {"num_attention_heads", c.num_attention_heads},
      {"joint_attention_dim", c.joint_attention_dim},
      {"pooled_projection_dim", c.pooled_projection_dim},
  };
  for (const auto& [key, value] : positive) {
    if (value <= 0) return invalid(std::string(key) + " must be positive, got " + std::to_string(value));
  }
  if (c.num_layers < 0 || c.num_single_layers < 0) {
    return invalid("num_layers and num_single_layers must be non-negative");
  }
  // get_1d_rotary_pos_embed asserts even axis dims; the concatenated cos/sin table
  // must span the head dim or apply_rotary_emb cannot broadcast it.
  if (c.axes_dims_rope.empty()) return invalid("axes_dims_rope is empty");
  for (int64_t d : c.axes_dims_rope) {
    if (d <= 0 || d % 2 != 0)
      return invalid("axes_dims_rope entries must be positive and even, got " + std::to_string(d));
  }
  const int64_t rope_dim = std::accumulate(c.axes_dims_rope.begin(), c.axes_dims_rope.end(), int64_t{0});
  if (rope_dim != c.attention_head_dim) {
    return invalid("axes_dims_rope sums to " + std::to_string(rope_dim) + ", attention_head_dim is " +
                   std::to_string(c.attention_head_dim) + " (RoPE rotates the whole head)");
  }
  return c;
}

}  // namespace dc::models::flux
