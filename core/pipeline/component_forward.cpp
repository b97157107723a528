#include "core/pipeline/component_forward.h"

#include <optional>

#include "core/io/diffusers/config_reader.h"
#include "core/nn/tap.h"
#include "core/pipeline/component_inputs.h"

namespace dc::pipeline {
namespace {

using Runner = Result<NamedTensors> (*)(const std::filesystem::path&, const NamedTensors&, const ForwardOptions&);
struct ComponentRunner {
  const char* class_name;
  Runner run;
};

// diffusers / transformers class name -> runner. One line per supported class.
constexpr ComponentRunner kRunners[] = {
    {"AutoencoderDC", run_autoencoder_dc},
    {"AutoencoderKL", run_autoencoder_kl},
    {"FluxTransformer2DModel", run_flux_transformer},
    {"CLIPTextModel", run_clip_text_model},
    {"T5EncoderModel", run_t5_encoder_model},
};

std::string supported_list() {
  std::string s;
  for (const ComponentRunner& r : kRunners) s += (s.empty() ? "" : ", ") + std::string(r.class_name);
  return s;
}

}  // namespace

std::vector<std::string> supported_component_classes() {
  std::vector<std::string> names;
  for (const ComponentRunner& r : kRunners) names.emplace_back(r.class_name);
  return names;
}

Result<NamedTensors> run_component(const std::filesystem::path& folder, const NamedTensors& inputs,
                                   const ForwardOptions& options) {
  DC_TRY(ConfigReader config, ConfigReader::from_file(folder / "config.json"));
  // transformers configs name the class in "architectures"; diffusers in "_class_name".
  DC_TRY(std::string cls, config.class_name());
  const ComponentRunner* runner = nullptr;
  for (const ComponentRunner& r : kRunners)
    if (cls == r.class_name) runner = &r;
  if (!runner) {
    return Error::not_supported(folder.string() + ": component class '" + cls +
                                "' is not supported by dcgen forward (supported: " + supported_list() + ")");
  }
  NamedTensors taps;
  std::optional<nn::TapScope> scope;
  if (options.dump_taps) {
    scope.emplace([&](const std::string& path, const Tensor& t) { taps["tap:" + path] = to_f32_cpu(t); });
  }
  Result<NamedTensors> result = runner->run(folder, inputs, options);
  if (result && options.dump_taps) result->merge(taps);
  return result;
}

}  // namespace dc::pipeline
