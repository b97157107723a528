// FLUX LoRA layers named as in the original FLUX code (BFL's flux repo; kohya
// sd-scripts and ComfyUI keep these names), mapped onto diffusers'
// FluxTransformer2DModel modules — the names our FluxTransformer binds.
//
//   double_blocks_<i>_img_attn_qkv   -> transformer_blocks.<i>.attn.to_q | to_k | to_v   (output rows split in 3)
//   double_blocks_<i>_txt_attn_qkv   -> ...attn.add_q_proj | add_k_proj | add_v_proj
//   double_blocks_<i>_img_attn_proj  -> ...attn.to_out.0          txt_attn_proj -> ...attn.to_add_out
//   double_blocks_<i>_img_mlp_0 / _2 -> ...ff.net.0.proj / ff.net.2   (txt_: ff_context)
//   double_blocks_<i>_img_mod_lin    -> ...norm1.linear           txt_mod_lin -> ...norm1_context.linear
//   single_blocks_<i>_linear1        -> single_transformer_blocks.<i>.attn.to_q | to_k | to_v | proj_mlp
//                                       (rows [C, C, C, rest], C = the layer's input width)
//   single_blocks_<i>_linear2        -> ...proj_out               modulation_lin -> ...norm.linear
//   img_in, txt_in                   -> x_embedder, context_embedder
//   time_in_, vector_in_, guidance_in_ + in_layer / out_layer
//                                    -> time_text_embed.{timestep,text,guidance}_embedder.linear_1 / linear_2
//   final_layer_linear               -> proj_out
//   final_layer_adaLN_modulation_1   -> norm_out.linear, its two row halves swapped (BFL emits
//                                       shift, scale; AdaLayerNormContinuous reads scale, shift)
// The same table as diffusers 0.42 lora_conversion_utils._convert_kohya_flux_lora_to_diffusers,
// except that split widths come from the layer's shape (diffusers hard-codes FLUX.1's
// 3072 / 12288) and final_layer alphas are honoured (diffusers drops them).
#pragma once

#include <string>
#include <vector>

#include "core/base/result.h"

namespace dc {

// Rows [up_row, up_row + rows) of a LoRA layer's `up` add to rows
// [weight_row, weight_row + rows) of `module`.weight.
struct LoRASlice {
  std::string module;  // diffusers module path, e.g. "transformer_blocks.0.attn.to_q"
  int64_t up_row = 0;
  int64_t rows = 0;
  int64_t weight_row = 0;
};

// The slices of a BFL-named layer ('_'-joined, prefix stripped: "double_blocks_0_img_attn_qkv")
// whose `up` has `up_rows` rows and whose `down` reads `in_features` inputs. kFormat naming
// `key` (the file's tensor key) and `context` (the file) when the name is not a FLUX
// transformer layer, or the rows cannot be split as the layer requires.
Result<std::vector<LoRASlice>> flux_bfl_slices(const std::string& module, int64_t up_rows, int64_t in_features,
                                                const std::string& key, const std::string& context);

}  // namespace dc
