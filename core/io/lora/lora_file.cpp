#include "core/io/lora/lora_file.h"

#include <cmath>
#include <map>
#include <optional>
#include <string_view>

#include "core/io/lora/peft_scale.h"
#include "core/io/safetensors/safetensors_file.h"

namespace dc {
namespace {

enum class Part { kDown, kUp, kAlpha };

// One tensor key, understood.
struct KeyRole {
  bool text_encoder = false;
  LoRANaming naming = LoRANaming::kBFL;
  std::string module;  // prefix and part stripped; BFL names '_'-joined
  Part part = Part::kDown;
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Splits "<module>.<part suffix>"; nullopt when the suffix is not a LoRA part.
std::optional<std::pair<std::string, Part>> split_part(std::string_view rest) {
  static const std::pair<std::string_view, Part> kSuffixes[] = {
      {".lora_down.weight", Part::kDown}, {".lora_A.weight", Part::kDown}, {".lora_up.weight", Part::kUp},
      {".lora_B.weight", Part::kUp},      {".alpha", Part::kAlpha},
  };
  for (const auto& [suffix, part] : kSuffixes) {
    if (ends_with(rest, suffix) && rest.size() > suffix.size()) {
      return std::make_pair(std::string(rest.substr(0, rest.size() - suffix.size())), part);
    }
  }
  return std::nullopt;
}

// Why a key that is not a plain LoRA part cannot be applied.
Error unsupported_key(const std::string& context, const std::string& key) {
  const std::string quoted = context + ": tensor '" + key + "'";
  if (key.find("dora_scale") != std::string::npos || key.find("lora_magnitude_vector") != std::string::npos) {
    return Error::not_supported(quoted + " belongs to a DoRA adapter; only plain LoRA is supported");
  }
  if (key.find("lokr_") != std::string::npos || key.find("hada_") != std::string::npos) {
    return Error::not_supported(quoted + " belongs to a LyCORIS (LoKr/LoHa) adapter; only plain LoRA is supported");
  }
  if (ends_with(key, ".diff") || ends_with(key, ".diff_b")) {
    return Error::not_supported(quoted +
                                " is a full weight or bias difference; only low-rank (lora_down/lora_up) "
                                "layers are supported");
  }
  for (std::string_view bias : {".lora_A.bias", ".lora_B.bias", ".lora_down.bias", ".lora_up.bias"}) {
    if (ends_with(key, bias)) return Error::not_supported(quoted + " is a LoRA bias, which is not supported");
  }
  return Error::format(quoted +
                       " is not a LoRA key this reader knows (expected kohya "
                       "'lora_unet_<module>.lora_down.weight' / '.lora_up.weight' / '.alpha', ComfyUI "
                       "'diffusion_model.<module>...', or diffusers 'transformer.<module>.lora_A.weight' / "
                       "'.lora_B.weight'): is this a LoRA file?");
}

Result<KeyRole> classify(const std::string& key, const std::string& context) {
  KeyRole role;
  for (std::string_view te :
       {"lora_te_", "lora_te1_", "lora_te2_", "lora_te3_", "text_encoder.", "text_encoder_2.", "text_encoders."}) {
    if (starts_with(key, te)) {
      role.text_encoder = true;
      auto split = split_part(key);
      role.module = split ? split->first : key;
      return role;
    }
  }
  struct Prefix {
    std::string_view text;
    LoRANaming naming;
    bool dots_to_underscores;
  };
  static const Prefix kPrefixes[] = {{"lora_unet_", LoRANaming::kBFL, false},
                                     {"diffusion_model.", LoRANaming::kBFL, true},
                                     {"transformer.", LoRANaming::kDiffusers, false}};
  for (const Prefix& p : kPrefixes) {
    if (!starts_with(key, p.text)) continue;
    auto split = split_part(std::string_view(key).substr(p.text.size()));
    if (!split) return unsupported_key(context, key);
    role.naming = p.naming;
    role.module = split->first;
    role.part = split->second;
    if (p.dots_to_underscores)
      for (char& c : role.module) c = c == '.' ? '_' : c;
    return role;
  }
  return unsupported_key(context, key);
}

Result<float> scalar_value(const Tensor& t, const std::string& context, const std::string& key) {
  if (t.numel() != 1) {
    return Error::format(context + ": tensor '" + key + "' should be a single number, has shape " +
                         shape_to_string(t.shape()));
  }
  const void* p = t.data_ptr();
  double v = 0;
  switch (t.dtype()) {
    case DType::kF32:
      v = *static_cast<const float*>(p);
      break;
    case DType::kF64:
      v = *static_cast<const double*>(p);
      break;
    case DType::kBF16:
      v = bf16_to_f32(*static_cast<const uint16_t*>(p));
      break;
    case DType::kF16:
      v = f16_to_f32(*static_cast<const uint16_t*>(p));
      break;
    case DType::kI64:
      v = static_cast<double>(*static_cast<const int64_t*>(p));
      break;
    case DType::kI32:
      v = *static_cast<const int32_t*>(p);
      break;
    default:
      return Error::format(context + ": tensor '" + key + "' has dtype " + std::string(dtype_name(t.dtype())) +
                           ", expected a number");
  }
  if (!std::isfinite(v)) return Error::format(context + ": tensor '" + key + "' is not a finite number");
  return static_cast<float>(v);
}

struct PendingLayer {
  std::string module;
  std::string down_key, up_key, alpha_key;
  Tensor down, up;
  std::optional<float> alpha;
};

Result<LoRALayer> finish_layer(PendingLayer& p, const std::string& context) {
  if (!p.down.defined() || !p.up.defined()) {
    const std::string& have = p.down.defined() ? p.down_key : p.up.defined() ? p.up_key : p.alpha_key;
    return Error::format(context + ": tensor '" + have + "' has no matching " +
                         (p.down.defined() ? "lora_up/lora_B" : "lora_down/lora_A") + " tensor");
  }
  for (const auto& [t, key] : {std::pair{&p.down, &p.down_key}, std::pair{&p.up, &p.up_key}}) {
    if (t->dim() != 2 || !dtype_is_float(t->dtype()) || t->numel() == 0) {
      return Error::format(context + ": tensor '" + *key + "' must be a non-empty 2-D float matrix, got " +
                           t->describe() +
                           (t->dim() == 4 ? " (a convolution LoRA: not a FLUX transformer layer)" : ""));
    }
  }
  if (p.up.size(1) != p.down.size(0)) {
    return Error::format(context + ": tensor '" + p.up_key + "' has shape " + shape_to_string(p.up.shape()) + " but '" +
                         p.down_key + "' has rank " + std::to_string(p.down.size(0)) + " (shape " +
                         shape_to_string(p.down.shape()) + "): the ranks must agree");
  }
  LoRALayer l;
  l.module = p.module;
  l.key = p.down_key;
  l.down = p.down;
  l.up = p.up;
  return l;
}

}  // namespace

const char* lora_naming_name(LoRANaming naming) {
  return naming == LoRANaming::kBFL ? "kohya (BFL names)" : "diffusers/PEFT";
}

Result<LoRAFile> read_lora_file(const std::filesystem::path& path) {
  const std::string context = path.string();
  DC_TRY(auto file, SafetensorsFile::open(path));
  LoRAFile out;
  out.path = path;
  std::vector<PendingLayer> pending;
  std::map<std::string, size_t> index;  // module -> pending position
  std::optional<LoRANaming> naming;
  std::string naming_key;
  for (const std::string& key : file->tensor_names()) {
    DC_TRY(KeyRole role, classify(key, context));
    if (role.text_encoder) {
      if (out.text_encoder_layers.empty() || out.text_encoder_layers.back() != role.module) {
        out.text_encoder_layers.push_back(role.module);
      }
      continue;
    }
    if (naming && *naming != role.naming) {
      return Error::format(context + ": mixes kohya/BFL keys ('" + naming_key + "') with diffusers keys ('" + key +
                           "'); a LoRA file uses one naming");
    }
    if (!naming) naming = role.naming, naming_key = key;
    auto [it, inserted] = index.emplace(role.module, pending.size());
    if (inserted) pending.push_back(PendingLayer{role.module, {}, {}, {}, {}, {}, {}});
    PendingLayer& p = pending[it->second];
    DC_TRY(Tensor t, file->tensor(key));
    std::string* seen = role.part == Part::kDown ? &p.down_key : role.part == Part::kUp ? &p.up_key : &p.alpha_key;
    if (!seen->empty()) {
      return Error::format(context + ": tensors '" + *seen + "' and '" + key + "' are the same LoRA part of '" +
                           role.module + "'");
    }
    *seen = key;
    if (role.part == Part::kDown) p.down = t;
    if (role.part == Part::kUp) p.up = t;
    if (role.part == Part::kAlpha) {
      DC_TRY(p.alpha, scalar_value(t, context, key));
    }
  }
  if (pending.empty()) {
    return Error::format(context + (out.text_encoder_layers.empty()
                                        ? ": holds no LoRA layers"
                                        : ": holds only text-encoder LoRA layers, nothing for the transformer"));
  }
  out.naming = *naming;
  std::vector<std::pair<std::string, float>> alphas;
  for (PendingLayer& p : pending) {
    DC_TRY(LoRALayer l, finish_layer(p, context));
    if (p.alpha) alphas.emplace_back(p.module, *p.alpha);
    // kohya: ΔW = alpha / r · up · down, alpha defaulting to r (networks/lora.py, LoRAModule).
    if (out.naming == LoRANaming::kBFL) l.scale = p.alpha ? *p.alpha / static_cast<float>(l.rank()) : 1.0f;
    out.layers.push_back(std::move(l));
  }
  if (out.naming == LoRANaming::kDiffusers) {
    DC_TRY_STATUS(set_peft_scales(file->metadata(), alphas, out.layers, context));
  }
  return out;
}

}  // namespace dc
