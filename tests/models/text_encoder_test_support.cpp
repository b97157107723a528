#include "tests/models/text_encoder_test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/safetensors/safetensors_file.h"
#include "core/models/text/clip_text_model.h"
#include "core/models/text/t5_encoder.h"
#include "core/ops/copy.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"

namespace dc::test {
namespace {

nlohmann::json read_manifest() {
  std::ifstream in(text_encoder_data_dir() / "cases.json");
  return nlohmann::json::parse(in);
}

const nlohmann::json& case_json(const nlohmann::json& manifest, const std::string& name) {
  for (const auto& c : manifest.at("cases"))
    if (c.at("name") == name) return c;
  throw std::runtime_error("no text-encoder case " + name);
}

}  // namespace

std::filesystem::path text_encoder_data_dir() { return data_dir() / "text_encoders"; }

std::vector<TextEncoderCase> text_encoder_cases() {
  std::vector<TextEncoderCase> cases;
  const nlohmann::json manifest = read_manifest();  // kept alive: the loop iterates inside it
  for (const auto& c : manifest.at("cases")) {
    TextEncoderCase t;
    t.name = c.at("name").get<std::string>();
    t.class_name = c.at("class").get<std::string>();
    t.folder = text_encoder_data_dir() / t.name / c.at("folder").get<std::string>();
    t.golden = text_encoder_data_dir() / t.name / "golden.safetensors";
    t.num_parameters = c.at("num_parameters").get<int64_t>();
    if (!c.at("pooling").is_null()) {
      t.pooling_positions = c.at("pooling").at("positions").get<std::vector<int64_t>>();
      t.other_rule_positions = c.at("pooling").at("other_rule_positions").get<std::vector<int64_t>>();
    }
    cases.push_back(std::move(t));
  }
  return cases;
}

std::vector<std::string> text_encoder_case_names() {
  std::vector<std::string> names;
  for (const TextEncoderCase& c : text_encoder_cases()) names.push_back(c.name);
  return names;
}

TextEncoderCase text_encoder_case(const std::string& name) {
  for (TextEncoderCase& c : text_encoder_cases())
    if (c.name == name) return c;
  ADD_FAILURE() << "no case " << name;
  return {};
}

bool text_encoder_has_reference(const std::string& name, const std::string& dtype) {
  const nlohmann::json manifest = read_manifest();
  return case_json(manifest, name).contains("reference_" + dtype + "_rel_l2");
}

double text_encoder_low_precision_tolerance(const std::string& name, const std::string& dtype,
                                            const std::string& tensor) {
  const nlohmann::json manifest = read_manifest();
  const double reference = case_json(manifest, name).at("reference_" + dtype + "_rel_l2").at(tensor).get<double>();
  return std::max(2e-2, 2 * reference);
}

TextEncoderParity run_text_encoder_golden(const std::string& name, const nn::LoadOptions& options) {
  TextEncoderParity parity;
  const TextEncoderCase c = text_encoder_case(name);
  auto golden = SafetensorsFile::open(c.golden);
  EXPECT_TRUE(golden.ok()) << (golden.ok() ? "" : golden.error().to_string());
  if (!golden) return parity;
  auto get = [&](const std::string& key) { return (*golden)->tensor(key).value_or_throw(); };
  // The ids go in on the run's device, as a pipeline hands them over.
  const Tensor ids = ops::to_device(get("input_ids"), options.device);
  const Tensor mask = ops::to_device(get("attention_mask"), options.device);
  expect_non_constant(ids);
  expect_non_constant(mask);

  std::map<std::string, Tensor> outputs;
  if (c.class_name == "CLIPTextModel") {
    auto model = models::text::ClipTextModel::load(c.folder, options);
    EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().to_string());
    if (!model) return parity;
    for (const auto& [prefix, m] : {std::pair<std::string, Tensor>{"", Tensor()}, {"masked_", mask}}) {
      const models::text::ClipTextOutput out = (*model)->forward(ids, m);
      outputs[prefix + "last_hidden_state"] = out.last_hidden_state;
      outputs[prefix + "pooler_output"] = out.pooler_output;
      outputs[prefix + "penultimate_hidden_state"] = out.penultimate_hidden_state;
    }
  } else {
    auto model = models::text::T5Encoder::load(c.folder, options);
    EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().to_string());
    if (!model) return parity;
    outputs["last_hidden_state"] = (*model)->forward(ids);
    outputs["masked_last_hidden_state"] = (*model)->forward(ids, mask);
  }
  for (const auto& [key, ours] : outputs) {
    EXPECT_EQ(ours.device(), options.device) << key;
    EXPECT_TRUE(ops::all_finite(ours)) << key;
    const Tensor theirs = get(key);
    EXPECT_EQ(ours.shape(), theirs.shape()) << key;
    if (ours.shape() != theirs.shape()) continue;
    parity[key] = ops::relative_l2(ours, theirs);
  }
  return parity;
}

}  // namespace dc::test
