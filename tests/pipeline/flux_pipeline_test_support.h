// Shared by the CPU and CUDA golden tests of the tiny DC-Gen-FLUX and FLUX.1 pipelines.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/pipeline/text_to_image.h"

namespace dc::pipeline::test {

std::filesystem::path pipeline_data();   // tests/data/flux_pipeline
std::filesystem::path flux1_data();      // tests/data/flux1_pipeline
nlohmann::json golden_cases(const std::filesystem::path& data = pipeline_data());  // cases.json "cases"
// The request the reference script ran for case `c`, with its initial noise.
TextToImageRequest request_for(const nlohmann::json& c, const Tensor& noise);
// Runs every case of `data`/cases.json made on `folder` (a case's "folder", else any) on
// the pipeline folder `data`/`folder` with the
// case's noise and checks the image against the reference's: PSNR ≥ 40 dB in f32; in
// bf16 ≥ the reference's own bf16-vs-f32 PSNR − 6 dB. Returns how many cases ran.
int expect_golden_images(const std::filesystem::path& data, const std::string& folder, Device device, DType dtype);

}  // namespace dc::pipeline::test
