#include "core/pipeline/generation_metadata.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace dc::pipeline {
namespace {

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string parameters_text(const GenerationRecord& r) {
  std::string text = r.prompt;
  for (const AppliedLoRA& l : r.loras) {
    text += (text.empty() ? "<lora:" : " <lora:") + l.name + ":" + format_number(l.strength) + ">";
  }
  text += "\n";
  if (!r.negative_prompt.empty()) text += "Negative prompt: " + r.negative_prompt + "\n";
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "Steps: %d, Sampler: Euler (flow matching), Schedule type: %s, CFG scale: %g, Distilled CFG Scale: %g, "
                "Seed: %llu, Size: %dx%d, Model: %s, ",
                r.steps, r.schedule.c_str(), r.true_cfg_scale, r.guidance, static_cast<unsigned long long>(r.seed),
                r.width, r.height, r.model.c_str());
  text += buf;
  if (!r.loras.empty()) {
    std::string hashes;
    for (const AppliedLoRA& l : r.loras) {
      hashes += (hashes.empty() ? "" : ", ") + l.name + ": " + l.sha256.substr(0, 12);
    }
    text += "Lora hashes: \"" + hashes + "\", ";
  }
  return text + "Version: " + kGeneratorName;
}

std::string parameters_json(const GenerationRecord& r) {
  nlohmann::json j = {{"generator", kGeneratorName},
                      {"model", r.model},
                      {"prompt", r.prompt},
                      {"prompt_2", r.prompt_2},
                      {"negative_prompt", r.negative_prompt},
                      {"steps", r.steps},
                      {"sampler", r.sampler},
                      {"schedule", r.schedule},
                      {"guidance", r.guidance},
                      {"true_cfg_scale", r.true_cfg_scale},
                      {"seed", r.seed},
                      {"width", r.width},
                      {"height", r.height},
                      {"max_sequence_length", r.max_sequence_length},
                      {"device", r.device}};
  if (r.demo_model) j["demo_model"] = true;
  if (!r.loras.empty()) {
    j["loras"] = nlohmann::json::array();
    for (const AppliedLoRA& l : r.loras) {
      j["loras"].push_back({{"name", l.name}, {"strength", l.strength}, {"sha256", l.sha256}});
    }
  }
  for (const auto& [key, value] : r.extra) j[key] = value;
  // Prompts are user text: invalid UTF-8 is replaced rather than thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::map<std::string, std::string> generation_metadata(const GenerationRecord& record) {
  return {{"parameters", parameters_text(record)},
          {"dcstudio", parameters_json(record)},
          {"Software", kGeneratorName}};
}

}  // namespace dc::pipeline
