#include "core/models/flux/flux_lora.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "core/base/assert.h"
#include "core/io/diffusers/component_folder.h"
#include "core/io/lora/flux_bfl_names.h"
#include "core/io/lora/lora_hash.h"
#include "core/models/checkpoint_source.h"
#include "core/nn/low_rank_update.h"

namespace dc::models::flux {
namespace {

Error wrong_rows(const std::string& context, const LoRALayer& layer, const std::string& module, int64_t rows,
                 const Shape& weight) {
  return Error::format(context + ": tensor '" + layer.key + "' (up " + shape_to_string(layer.up.shape()) + ") gives " +
                       std::to_string(rows) + " output rows to '" + module + ".weight' " + shape_to_string(weight) +
                       ", which has " + std::to_string(weight[0]) + " (a LoRA for a different FLUX size?)");
}

}  // namespace

Result<std::vector<FluxLoRAUpdate>> resolve_flux_lora(const FluxTransformer& model, const LoRAFile& lora) {
  const std::string context = lora.path.string();
  std::unordered_map<std::string, const nn::Parameter*> params;
  for (const nn::Parameter* p : model.parameters()) params.emplace(p->key(), p);

  std::vector<FluxLoRAUpdate> updates;
  for (const LoRALayer& layer : lora.layers) {
    const int64_t up_rows = layer.up.size(0), in = layer.down.size(1);
    std::vector<LoRASlice> slices;
    if (lora.naming == LoRANaming::kBFL) {
      DC_TRY(slices, flux_bfl_slices(layer.module, up_rows, in, layer.key, context));
    } else {
      slices = {{layer.module, 0, up_rows, 0}};
    }
    std::map<std::string, int64_t> covered;  // module -> rows this layer updates
    for (const LoRASlice& s : slices) {
      auto it = params.find(s.module + ".weight");
      if (it == params.end() || it->second->get().dim() != 2) {
        return Error::format(context + ": tensor '" + layer.key + "' targets '" + s.module +
                             "', which this FluxTransformer2DModel does not have (a LoRA for another model, or for a "
                             "FLUX variant with other blocks?)");
      }
      const Shape& w = it->second->get().shape();
      if (in != w[1]) {
        return Error::format(context + ": tensor '" + layer.key + "' has shape " +
                             shape_to_string(layer.down.shape()) + ": " + std::to_string(in) + " inputs, but '" +
                             s.module + ".weight' " + shape_to_string(w) + " takes " + std::to_string(w[1]) +
                             " (a LoRA for a different FLUX size?)");
      }
      if (s.weight_row + s.rows > w[0]) return wrong_rows(context, layer, s.module, s.rows, w);
      covered[s.module] += s.rows;
      updates.push_back({it->second, s.weight_row, layer.up.slice(0, s.up_row, s.up_row + s.rows), layer.down,
                         layer.scale});
    }
    for (const auto& [module, rows] : covered) {
      const Shape& w = params.at(module + ".weight")->get().shape();
      if (rows != w[0]) return wrong_rows(context, layer, module, rows, w);
    }
  }
  return updates;
}

void merge_flux_lora(FluxTransformer& model, const std::vector<FluxLoRAUpdate>& updates, double strength) {
  for (const FluxLoRAUpdate& u : updates) {
    nn::add_low_rank(model, *u.weight, u.weight_row, u.up, u.down, static_cast<float>(strength * u.scale));
  }
}

Result<std::vector<FluxLoRAStack::FileState>> FluxLoRAStack::file_states(const std::vector<LoRASpec>& loras) const {
  std::vector<FileState> states;
  for (const LoRASpec& l : loras) {
    if (!std::isfinite(l.strength)) {
      return Error::invalid_argument(l.file.string() + ": LoRA strength must be a finite number");
    }
    std::error_code ec;
    FileState s;
    s.path = std::filesystem::weakly_canonical(l.file, ec);
    if (ec || !std::filesystem::is_regular_file(s.path, ec)) {
      return Error::not_found(l.file.string() + ": no such LoRA file");
    }
    s.strength = l.strength;
    s.size = std::filesystem::file_size(s.path, ec);
    if (!ec) s.modified = std::filesystem::last_write_time(s.path, ec);
    if (ec) return Error::io(l.file.string() + ": cannot read the file's size and time: " + ec.message());
    states.push_back(std::move(s));
  }
  return states;
}

Result<bool> FluxLoRAStack::apply(FluxTransformer& model, const std::filesystem::path& transformer_dir,
                                  const nn::LoadOptions& options, const std::vector<LoRASpec>& loras,
                                  const std::function<void(const std::string&)>& warn) {
  DC_CHECK(model_ == nullptr || model_ == &model || touched_.empty(),
           "FluxLoRAStack::apply: a stack follows one model; reset it when the model is reloaded");
  model_ = &model;
  DC_TRY(std::vector<FileState> states, file_states(loras));
  if (consistent_ && states == states_) return false;

  // Read and check everything before a weight changes.
  std::vector<std::vector<FluxLoRAUpdate>> updates;
  std::vector<MergedLoRA> merged;
  for (size_t i = 0; i < loras.size(); ++i) {
    DC_TRY(LoRAFile file, read_lora_file(states[i].path));
    if (!file.text_encoder_layers.empty() && warn) {
      warn(loras[i].file.filename().string() + ": its " + std::to_string(file.text_encoder_layers.size()) +
           " text-encoder layers are not applied (LoRA for the text encoders is not supported; the transformer "
           "layers are)");
    }
    DC_TRY(auto resolved, resolve_flux_lora(model, file));
    updates.push_back(std::move(resolved));
    const std::string identity = states[i].path.string() + "|" + std::to_string(states[i].size) + "|" +
                                 std::to_string(states[i].modified.time_since_epoch().count());
    if (!hashes_.count(identity)) {
      DC_TRY(hashes_[identity], lora_file_hash(states[i].path));
    }
    merged.push_back({loras[i], loras[i].file.stem().string(), hashes_[identity]});
  }
  std::optional<ComponentFolder> base;
  if (!touched_.empty()) {
    DC_TRY(ComponentFolder folder, open_component(transformer_dir));
    base.emplace(std::move(folder));
  }

  consistent_ = false;
  if (base) {
    const nn::WeightSource source = checkpoint_source(base->weights);
    for (const nn::Parameter* p : touched_) DC_TRY_STATUS(model.reload_parameter(*p, source, options));
  }
  touched_.clear();
  states_.clear();
  merged_.clear();
  std::set<const nn::Parameter*> touched;
  for (size_t i = 0; i < updates.size(); ++i) {
    if (loras[i].strength == 0) continue;  // ΔW · 0: the weights stay the checkpoint's, bit for bit
    DC_TRY_STATUS(catch_errors([&] { merge_flux_lora(model, updates[i], loras[i].strength); }));
    for (const FluxLoRAUpdate& u : updates[i]) touched.insert(u.weight);
  }
  touched_.assign(touched.begin(), touched.end());
  states_ = std::move(states);
  merged_ = std::move(merged);
  consistent_ = true;
  return true;
}

}  // namespace dc::models::flux
