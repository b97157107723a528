#include "core/pipeline/component_inputs.h"

#include "core/ops/copy.h"

namespace dc::pipeline {

Result<Tensor> required_input(const NamedTensors& inputs, const std::string& name) {
  auto it = inputs.find(name);
  if (it == inputs.end()) return Error::invalid_argument("missing input '" + name + "'");
  return it->second;
}

Result<Tensor> float_input(const Tensor& t, const std::string& name, const nn::LoadOptions& load) {
  if (!dtype_is_float(t.dtype())) {
    return Error::invalid_argument("input '" + name + "' must be floating point, got " + t.describe());
  }
  return catch_errors([&] { return ops::to_device(ops::cast(t, load.dtype), load.device); });
}

Tensor to_f32_cpu(const Tensor& t) { return ops::contiguous(ops::cast(ops::to_device(t, Device::cpu()), DType::kF32)); }

}  // namespace dc::pipeline
