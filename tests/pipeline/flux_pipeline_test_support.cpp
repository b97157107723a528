#include "tests/pipeline/flux_pipeline_test_support.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core/ops/copy.h"

namespace dc::pipeline::test {

std::filesystem::path pipeline_data() { return std::filesystem::path(DC_TEST_DATA_DIR) / "flux_pipeline"; }

nlohmann::json golden_cases() {
  std::ifstream in(pipeline_data() / "cases.json");
  return nlohmann::json::parse(in)["cases"];
}

double psnr(const Tensor& a, const Tensor& b) {
  const Tensor x = ops::contiguous(ops::cast(ops::to_device(a, Device::cpu()), DType::kF32));
  const Tensor y = ops::contiguous(ops::cast(ops::to_device(b, Device::cpu()), DType::kF32));
  double se = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    const double u = std::clamp(x.data<float>()[i], -1.0f, 1.0f) * 0.5 + 0.5;
    const double v = std::clamp(y.data<float>()[i], -1.0f, 1.0f) * 0.5 + 0.5;
    se += (u - v) * (u - v);
  }
  const double mse = se / static_cast<double>(x.numel());
  return mse == 0 ? 200.0 : 10.0 * std::log10(1.0 / mse);
}

TextToImageRequest request_for(const nlohmann::json& c, const Tensor& noise) {
  TextToImageRequest r;
  r.prompt = c["prompt"];
  r.negative_prompt = c.value("negative_prompt", "");
  r.true_cfg_scale = c.value("true_cfg_scale", 1.0f);
  r.guidance = c["guidance"];
  r.steps = c["steps"];
  r.width = c["width"];
  r.height = c["height"];
  r.batch = c["batch"];
  r.shift = c["use_flux_2"].get<bool>() ? SigmaShift::kFlux2 : SigmaShift::kFlux;
  r.initial_noise = noise;
  return r;
}

}  // namespace dc::pipeline::test
