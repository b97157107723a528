#include "core/models/autoencoder_kl/autoencoder_kl.h"

#include "core/base/assert.h"
#include "core/io/diffusers/component_folder.h"
#include "core/models/checkpoint_source.h"
#include "core/ops/copy.h"

namespace dc::models::autoencoder_kl {
namespace {

// diffusers ModelMixin._fix_state_dict_keys_on_load: checkpoints saved before the
// attention rewrite name the mid-block attention's linears query/key/value/proj_attn.
std::string legacy_attention_key(const std::string& key) {
  static const std::pair<const char*, const char*> kRenames[] = {
      {".to_q.", ".query."}, {".to_k.", ".key."}, {".to_v.", ".value."}, {".to_out.0.", ".proj_attn."}};
  if (key.find(".attentions.") == std::string::npos) return key;
  for (const auto& [now, before] : kRenames) {
    const size_t at = key.find(now);
    if (at != std::string::npos) return key.substr(0, at) + before + key.substr(at + std::string(now).size());
  }
  return key;
}

}  // namespace

AutoencoderKL::AutoencoderKL(AutoencoderKLConfig config)
    : Module(nullptr, ""), config_(std::move(config)), decoder_(this, "decoder", config_) {
  if (config_.use_post_quant_conv) {
    post_quant_conv_ = std::make_unique<nn::Conv2d>(
        this, "post_quant_conv",
        nn::Conv2dSpec{.in_channels = config_.latent_channels, .out_channels = config_.latent_channels});
  }
}

Result<std::unique_ptr<AutoencoderKL>> AutoencoderKL::load(const std::filesystem::path& folder,
                                                           const nn::LoadOptions& options) {
  DC_TRY(ComponentFolder component, open_component(folder));
  DC_TRY(std::string cls, component.config.class_name());
  if (cls != "AutoencoderKL") {
    return Error::not_supported(component.config.context() + ": _class_name is '" + cls + "', expected AutoencoderKL");
  }
  DC_TRY(AutoencoderKLConfig config, parse_autoencoder_kl_config(component.config));
  auto model = std::make_unique<AutoencoderKL>(std::move(config));
  const bool legacy = component.weights.contains("decoder.mid_block.attentions.0.query.weight");
  Status loaded =
      model->Module::load(checkpoint_source(component.weights, legacy ? legacy_attention_key : nullptr), options);
  if (!loaded) return std::move(loaded).error().with_context(folder.string());
  return model;
}

Tensor AutoencoderKL::decode(const Tensor& latent) const {
  DC_CHECK(latent.dim() == 4 && latent.size(1) == config_.latent_channels,
           "AutoencoderKL.decode: expected [N, " << config_.latent_channels << ", h, w], got " << latent.describe());
  Tensor z = ops::contiguous(latent);
  if (post_quant_conv_) z = post_quant_conv_->forward(z);  // [N, latent, h, w]
  return ops::contiguous(decoder_.forward(z));             // [N, out_channels, h·f, w·f]
}

}  // namespace dc::models::autoencoder_kl
