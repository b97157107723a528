// Shared by the CPU and CUDA golden tests of the tiny DC-Gen-FLUX pipeline.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/pipeline/text_to_image.h"

namespace dc::pipeline::test {

std::filesystem::path pipeline_data();  // tests/data/flux_pipeline
nlohmann::json golden_cases();           // cases.json "cases"
// The request the reference script ran for case `c`, with its initial noise.
TextToImageRequest request_for(const nlohmann::json& c, const Tensor& noise);

}  // namespace dc::pipeline::test
