// Shared by the text-encoder golden tests (CPU and gpu suites): the cases written
// by tests/reference/make_text_encoder_goldens.py and a runner comparing
// CLIPTextModel / T5EncoderModel outputs with transformers' goldens.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/nn/module.h"

namespace dc::test {

struct TextEncoderCase {
  std::string name;
  std::string class_name;        // "CLIPTextModel" | "T5EncoderModel"
  std::filesystem::path folder;  // the model folder (config.json + weights)
  std::filesystem::path golden;  // golden.safetensors
  int64_t num_parameters = 0;
  std::vector<int64_t> pooling_positions;  // CLIP
  std::vector<int64_t> other_rule_positions;  // CLIP: where the other pooling rule would look
};

std::filesystem::path text_encoder_data_dir();
std::vector<TextEncoderCase> text_encoder_cases();  // from cases.json
std::vector<std::string> text_encoder_case_names();
TextEncoderCase text_encoder_case(const std::string& name);

// Golden tensor name -> rel-L2 of ours against transformers' f32 output.
using TextEncoderParity = std::map<std::string, double>;
// Loads the case at `options`, runs forward(input_ids) and forward(input_ids,
// attention_mask) and compares every golden output ("last_hidden_state",
// "masked_last_hidden_state", for CLIP also pooler_output and
// penultimate_hidden_state); fails the test on load errors.
TextEncoderParity run_text_encoder_golden(const std::string& name, const nn::LoadOptions& options);

// max(2e-2, 2 × transformers' own error at `dtype` ("bf16" | "f16")) per golden tensor.
double text_encoder_low_precision_tolerance(const std::string& name, const std::string& dtype,
                                            const std::string& tensor);
bool text_encoder_has_reference(const std::string& name, const std::string& dtype);

}  // namespace dc::test
