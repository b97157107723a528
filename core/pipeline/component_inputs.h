// Shared input handling of the per-class runners behind run_component.
#pragma once

#include <string>

#include "core/base/result.h"
#include "core/nn/module.h"
#include "core/pipeline/component_forward.h"

namespace dc::pipeline {

// The named input, or an invalid_argument Error naming it when absent.
Result<Tensor> required_input(const NamedTensors& inputs, const std::string& name);
// Floating input moved to the run's device and compute dtype.
Result<Tensor> float_input(const Tensor& t, const std::string& name, const nn::LoadOptions& load);
// Outputs of run_component are contiguous f32 CPU tensors.
Tensor to_f32_cpu(const Tensor& t);

// One runner per component class (component_forward.cpp holds the table).
Result<NamedTensors> run_autoencoder_dc(const std::filesystem::path& folder, const NamedTensors& inputs,
                                        const ForwardOptions& options);
Result<NamedTensors> run_autoencoder_kl(const std::filesystem::path& folder, const NamedTensors& inputs,
                                        const ForwardOptions& options);
Result<NamedTensors> run_flux_transformer(const std::filesystem::path& folder, const NamedTensors& inputs,
                                          const ForwardOptions& options);
Result<NamedTensors> run_clip_text_model(const std::filesystem::path& folder, const NamedTensors& inputs,
                                         const ForwardOptions& options);
Result<NamedTensors> run_t5_encoder_model(const std::filesystem::path& folder, const NamedTensors& inputs,
                                          const ForwardOptions& options);

}  // namespace dc::pipeline
