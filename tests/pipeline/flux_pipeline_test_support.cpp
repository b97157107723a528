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
