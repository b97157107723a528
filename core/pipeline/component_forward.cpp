#include "core/pipeline/component_forward.h"

#include <optional>

#include "core/io/diffusers/config_reader.h"
#include "core/models/dcae/autoencoder_dc.h"
#include "core/nn/tap.h"
#include "core/ops/copy.h"

namespace dc::pipeline {
namespace {

// Input checked for rank and channel count, moved to the run's device and dtype.
Result<Tensor> prepare_input(const NamedTensors& inputs, const std::string& name, int64_t channels,
                             const nn::LoadOptions& load) {
  const Tensor& t = inputs.at(name);
  if (t.dim() != 4 || t.size(1) != channels) {
    return Error::invalid_argument("input '" + name + "' must be [N, " + std::to_string(channels) +
                                   ", H, W], got " + t.describe());
  }
  if (!dtype_is_float(t.dtype())) {
    return Error::invalid_argument("input '" + name + "' must be floating point, got " + t.describe());
  }
  return catch_errors([&] { return ops::to_device(ops::cast(t, load.dtype), load.device); });
}

Tensor to_f32_cpu(const Tensor& t) { return ops::contiguous(ops::cast(ops::to_device(t, Device::cpu()), DType::kF32)); }

Result<NamedTensors> run_autoencoder_dc(const std::filesystem::path& folder, const NamedTensors& inputs,
                                        const ForwardOptions& options) {
  const bool has_sample = inputs.count("sample") > 0, has_latent = inputs.count("latent") > 0;
  if (!has_sample && !has_latent) {
    return Error::invalid_argument("AutoencoderDC needs input 'sample' (to encode) or 'latent' (to decode)");
  }
  DC_TRY(auto model, models::dcae::AutoencoderDC::load(folder, options.load));
  const auto& cfg = model->config();
  NamedTensors outputs;
  if (has_sample) {
    DC_TRY(Tensor x, prepare_input(inputs, "sample", cfg.in_channels, options.load));
    DC_TRY(Tensor z, catch_errors([&] { return to_f32_cpu(model->encode(x)); }));
    outputs["latent"] = z;
  }
  if (has_latent) {
    DC_TRY(Tensor z, prepare_input(inputs, "latent", cfg.latent_channels, options.load));
    DC_TRY(Tensor y, catch_errors([&] {
             return to_f32_cpu(options.tiled_decode ? model->decode_tiled(z, {}) : model->decode(z));
           }));
    outputs["sample"] = y;
  }
  return outputs;
}

}  // namespace

std::vector<std::string> supported_component_classes() { return {"AutoencoderDC"}; }

Result<NamedTensors> run_component(const std::filesystem::path& folder, const NamedTensors& inputs,
                                   const ForwardOptions& options) {
  DC_TRY(ConfigReader config, ConfigReader::from_file(folder / "config.json"));
  DC_TRY(std::string cls, config.class_name());
  NamedTensors taps;
  std::optional<nn::TapScope> scope;
  if (options.dump_taps) {
    scope.emplace([&](const std::string& path, const Tensor& t) { taps["tap:" + path] = to_f32_cpu(t); });
  }
  Result<NamedTensors> result = Error::not_supported(
      folder.string() + ": component class '" + cls + "' is not supported by dcgen forward (supported: AutoencoderDC)");
  if (cls == "AutoencoderDC") result = run_autoencoder_dc(folder, inputs, options);
  if (result && options.dump_taps) result->merge(taps);
  return result;
}

}  // namespace dc::pipeline
