#include "core/io/lora/flux_bfl_names.h"

#include <cctype>
#include <map>
#include <string_view>

namespace dc {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// How a layer's output rows divide among diffusers modules.
enum class Split { kWhole, kThirds, kQkvMlp, kSwappedHalves };

struct Mapping {
  std::vector<std::string> modules;  // relative to the block for block layers
  Split split = Split::kWhole;
};

const std::map<std::string, Mapping, std::less<>>& double_block_layers() {
  static const std::map<std::string, Mapping, std::less<>> kTable = {
      {"img_attn_qkv", {{"attn.to_q", "attn.to_k", "attn.to_v"}, Split::kThirds}},
      {"img_attn_proj", {{"attn.to_out.0"}}},
      {"img_mlp_0", {{"ff.net.0.proj"}}},
      {"img_mlp_2", {{"ff.net.2"}}},
      {"img_mod_lin", {{"norm1.linear"}}},
      {"txt_attn_qkv", {{"attn.add_q_proj", "attn.add_k_proj", "attn.add_v_proj"}, Split::kThirds}},
      {"txt_attn_proj", {{"attn.to_add_out"}}},
      {"txt_mlp_0", {{"ff_context.net.0.proj"}}},
      {"txt_mlp_2", {{"ff_context.net.2"}}},
      {"txt_mod_lin", {{"norm1_context.linear"}}},
  };
  return kTable;
}

const std::map<std::string, Mapping, std::less<>>& single_block_layers() {
  static const std::map<std::string, Mapping, std::less<>> kTable = {
      {"linear1", {{"attn.to_q", "attn.to_k", "attn.to_v", "proj_mlp"}, Split::kQkvMlp}},
      {"linear2", {{"proj_out"}}},
      {"modulation_lin", {{"norm.linear"}}},
  };
  return kTable;
}

const std::map<std::string, Mapping, std::less<>>& top_level_layers() {
  static const std::map<std::string, Mapping, std::less<>> kTable = {
      {"img_in", {{"x_embedder"}}},
      {"txt_in", {{"context_embedder"}}},
      {"time_in_in_layer", {{"time_text_embed.timestep_embedder.linear_1"}}},
      {"time_in_out_layer", {{"time_text_embed.timestep_embedder.linear_2"}}},
      {"vector_in_in_layer", {{"time_text_embed.text_embedder.linear_1"}}},
      {"vector_in_out_layer", {{"time_text_embed.text_embedder.linear_2"}}},
      {"guidance_in_in_layer", {{"time_text_embed.guidance_embedder.linear_1"}}},
      {"guidance_in_out_layer", {{"time_text_embed.guidance_embedder.linear_2"}}},
      {"final_layer_linear", {{"proj_out"}}},
      {"final_layer_adaLN_modulation_1", {{"norm_out.linear"}, Split::kSwappedHalves}},
  };
  return kTable;
}

// "<prefix><digits>_<rest>" -> (block index, rest).
bool block_layer(std::string_view name, std::string_view prefix, std::string* index, std::string_view* rest) {
  if (!starts_with(name, prefix)) return false;
  size_t i = prefix.size();
  while (i < name.size() && std::isdigit(static_cast<unsigned char>(name[i]))) ++i;
  if (i == prefix.size() || i >= name.size() || name[i] != '_') return false;
  *index = std::string(name.substr(prefix.size(), i - prefix.size()));
  *rest = name.substr(i + 1);
  return true;
}

Error not_flux(const std::string& module, const std::string& key, const std::string& context) {
  for (std::string_view unet :
       {"input_blocks", "middle_block", "output_blocks", "down_blocks", "mid_block", "up_blocks"}) {
    if (starts_with(module, unet)) {
      return Error::format(context + ": tensor '" + key + "' is a Stable Diffusion UNet layer ('" + module +
                           "'): this is a LoRA for an SD/SDXL model, not FLUX");
    }
  }
  return Error::format(context + ": tensor '" + key + "' names '" + module +
                       "', which is not a layer of the FLUX transformer (a LoRA for another model?)");
}

}  // namespace

Result<std::vector<LoRASlice>> flux_bfl_slices(const std::string& module, int64_t up_rows, int64_t in_features,
                                               const std::string& key, const std::string& context) {
  std::string prefix, index;
  std::string_view rest;
  const Mapping* mapping = nullptr;
  if (block_layer(module, "double_blocks_", &index, &rest)) {
    auto it = double_block_layers().find(rest);
    if (it != double_block_layers().end()) mapping = &it->second, prefix = "transformer_blocks." + index + ".";
  } else if (block_layer(module, "single_blocks_", &index, &rest)) {
    auto it = single_block_layers().find(rest);
    if (it != single_block_layers().end()) mapping = &it->second, prefix = "single_transformer_blocks." + index + ".";
  } else if (auto it = top_level_layers().find(module); it != top_level_layers().end()) {
    mapping = &it->second;
  }
  if (!mapping) return not_flux(module, key, context);

  std::vector<int64_t> rows;
  const int64_t c = in_features;
  auto bad_rows = [&](const std::string& want) {
    return Error::format(context + ": tensor '" + key + "' ('" + module + "') has " + std::to_string(up_rows) +
                         " output rows for " + std::to_string(in_features) + " inputs; this layer needs " + want);
  };
  switch (mapping->split) {
    case Split::kWhole:
      rows = {up_rows};
      break;
    case Split::kThirds:
      if (up_rows != 3 * c) return bad_rows("3 x inputs (q, k, v)");
      rows = {c, c, c};
      break;
    case Split::kQkvMlp:
      if (up_rows <= 3 * c) return bad_rows("more than 3 x inputs (q, k, v, then the MLP)");
      rows = {c, c, c, up_rows - 3 * c};
      break;
    case Split::kSwappedHalves:
      if (up_rows % 2 != 0) return bad_rows("an even count (shift, scale)");
      return std::vector<LoRASlice>{{"norm_out.linear", 0, up_rows / 2, up_rows / 2},
                                    {"norm_out.linear", up_rows / 2, up_rows / 2, 0}};
  }
  std::vector<LoRASlice> slices;
  int64_t row = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    slices.push_back({prefix + mapping->modules[i], row, rows[i], 0});
    row += rows[i];
  }
  return slices;
}

}  // namespace dc
