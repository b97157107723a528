#include "tests/pipeline/flux_pipeline_test_support.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "core/io/safetensors/safetensors_file.h"
#include "core/ops/copy.h"
#include "core/pipeline/flux_pipeline.h"
#include "tests/common/test_util.h"

namespace dc::pipeline::test {

std::filesystem::path pipeline_data() { return std::filesystem::path(DC_TEST_DATA_DIR) / "flux_pipeline"; }

std::filesystem::path flux1_data() { return std::filesystem::path(DC_TEST_DATA_DIR) / "flux1_pipeline"; }

nlohmann::json golden_cases(const std::filesystem::path& data) {
  std::ifstream in(data / "cases.json");
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

int expect_golden_images(const std::filesystem::path& data, const std::string& folder, Device device, DType dtype) {
  auto pipe = FluxPipeline::open(data / folder, {device, dtype, 0});
  EXPECT_TRUE(pipe) << pipe.error().to_string();
  if (!pipe) return 0;
  int ran = 0;
  const nlohmann::json cases = golden_cases(data);  // items() views it: it must outlive the loop
  for (const auto& [name, c] : cases.items()) {
    if (c.value("folder", folder) != folder) continue;  // a case of another folder of this set
    auto file = SafetensorsFile::open(data / (name + ".safetensors"));
    EXPECT_TRUE(file) << file.error().to_string();
    if (!file) continue;
    const Tensor noise = *(*file)->tensor("noise"), expected = *(*file)->tensor("image");
    dc::test::expect_non_constant(expected);
    auto result = (*pipe)->generate(request_for(c, noise));
    EXPECT_TRUE(result) << name << ": " << result.error().to_string();
    if (!result) continue;
    EXPECT_EQ(result->images.shape(), expected.shape()) << name;
    if (result->images.shape() != expected.shape()) continue;
    const double db = dc::test::image_psnr(result->images, expected);
    const double bound = dtype == DType::kF32 ? 40.0 : c["reference_bf16_psnr"].get<double>() - 6.0;
    EXPECT_GE(db, bound) << name;
    std::printf("%s %s %s: PSNR %.1f dB (bound %.1f), peak %.1f MiB\n", folder.c_str(), name.c_str(),
                std::string(dtype_name(dtype)).c_str(), db, bound, result->peak_device_bytes / 1048576.0);
    ++ran;
  }
  return ran;
}

}  // namespace dc::pipeline::test
