#include "core/io/lora/peft_scale.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

namespace dc {
namespace {

using ordered_json = nlohmann::ordered_json;

constexpr const char* kMetadataKey = "lora_adapter_metadata";  // diffusers LORA_ADAPTER_METADATA_KEY
constexpr float kPeftDefaultAlpha = 8.0f;                      // peft LoraConfig.lora_alpha default

struct PeftConfig {
  float lora_alpha = kPeftDefaultAlpha;
  std::vector<std::pair<std::regex, float>> alpha_pattern;  // in the file's order
  bool use_rslora = false;
};

Result<float> number(const ordered_json& j, const std::string& what, const std::string& context) {
  if (!j.is_number()) return Error::format(context + ": " + kMetadataKey + " '" + what + "' is not a number");
  return j.get<float>();
}

Result<PeftConfig> parse_metadata(const std::string& text, const std::string& context) {
  ordered_json j = ordered_json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Error::format(context + ": metadata '" + kMetadataKey + "' is not a JSON object");
  }
  PeftConfig c;
  // diffusers prefixes each component's LoraConfig field with the component name.
  auto field = [&](const char* name) -> const ordered_json* {
    auto it = j.find(std::string("transformer.") + name);
    return it == j.end() ? nullptr : &*it;
  };
  if (const ordered_json* v = field("use_dora"); v && v->is_boolean() && v->get<bool>()) {
    return Error::not_supported(context + ": a DoRA adapter (use_dora); only plain LoRA is supported");
  }
  if (const ordered_json* v = field("lora_bias"); v && v->is_boolean() && v->get<bool>()) {
    return Error::not_supported(context + ": the adapter trains LoRA biases (lora_bias), which are not supported");
  }
  if (const ordered_json* v = field("use_rslora"); v && v->is_boolean()) c.use_rslora = v->get<bool>();
  if (const ordered_json* v = field("lora_alpha")) {
    DC_TRY(c.lora_alpha, number(*v, "transformer.lora_alpha", context));
  }
  if (const ordered_json* v = field("alpha_pattern"); v && !v->is_null()) {
    if (!v->is_object()) return Error::format(context + ": 'transformer.alpha_pattern' is not an object");
    for (const auto& [pattern, value] : v->items()) {
      DC_TRY(float alpha, number(value, "transformer.alpha_pattern." + pattern, context));
      try {
        c.alpha_pattern.emplace_back(std::regex("(.*\\.)?(" + pattern + ")"), alpha);
      } catch (const std::regex_error&) {
        return Error::format(context + ": alpha_pattern key '" + pattern + "' is not a regular expression");
      }
    }
  }
  return c;
}

float most_common(const std::vector<std::pair<std::string, float>>& alphas) {
  float best = alphas.front().second;
  size_t best_count = 0;
  for (const auto& [module, a] : alphas) {
    size_t count = 0;
    for (const auto& other : alphas) count += other.second == a;
    if (count > best_count) best = a, best_count = count;
  }
  return best;
}

}  // namespace

Status set_peft_scales(const std::map<std::string, std::string>& metadata,
                       const std::vector<std::pair<std::string, float>>& alphas, std::vector<LoRALayer>& layers,
                       const std::string& context) {
  const auto meta = metadata.find(kMetadataKey);
  if (meta != metadata.end() && !alphas.empty()) {
    // diffusers refuses this too ("Both `network_alphas` and `metadata` cannot be specified").
    return Error::format(context + ": has both '.alpha' tensors and '" + kMetadataKey + "': which scale is meant?");
  }
  if (meta != metadata.end()) {
    DC_TRY(PeftConfig c, parse_metadata(meta->second, context));
    for (LoRALayer& l : layers) {
      float alpha = c.lora_alpha;
      for (const auto& [pattern, a] : c.alpha_pattern) {
        if (std::regex_match(l.module, pattern)) {
          alpha = a;
          break;
        }
      }
      const double r = static_cast<double>(l.rank());
      l.scale = static_cast<float>(alpha / (c.use_rslora ? std::sqrt(r) : r));
    }
    return {};
  }
  if (!alphas.empty()) {
    const float fallback = most_common(alphas);
    for (LoRALayer& l : layers) {
      float alpha = fallback;
      for (const auto& [module, a] : alphas)
        if (module == l.module) alpha = a;
      l.scale = static_cast<float>(alpha / static_cast<double>(l.rank()));
    }
    return {};
  }
  for (LoRALayer& l : layers) l.scale = 1.0f;
  return {};
}

}  // namespace dc
