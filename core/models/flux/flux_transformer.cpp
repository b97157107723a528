#include "core/models/flux/flux_transformer.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/base/assert.h"
#include "core/base/log.h"
#include "core/io/diffusers/component_folder.h"
#include "core/models/checkpoint_source.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/fused_linear.h"
#include "core/ops/modulation.h"
#include "core/ops/timestep.h"


namespace dc::models::flux {
namespace {

std::string dims(std::initializer_list<std::string> parts) {
  std::string s = "[";
  for (const std::string& p : parts) s += (s.size() > 1 ? ", " : "") + p;
  return s + "]";
}

Status check_float(const Tensor& t, const std::string& name, const Shape& want, const std::string& want_text) {
  if (!t.defined()) return Error::invalid_argument("missing input '" + name + "' " + want_text);
  if (!dtype_is_float(t.dtype())) {
    return Error::invalid_argument("input '" + name + "' must be floating point, got " + t.describe());
  }
  bool ok = t.dim() == static_cast<int64_t>(want.size());
  for (size_t i = 0; ok && i < want.size(); ++i) ok = want[i] < 0 || t.size(static_cast<int64_t>(i)) == want[i];
  if (!ok) return Error::invalid_argument("input '" + name + "' must be " + want_text + ", got " + t.describe());
  return {};
}

// timestep / guidance: [B] or [1].
Status check_per_sample(const Tensor& t, const std::string& name, int64_t batch) {
  // Appended piecewise: GCC 12 reports a false -Wrestrict on "[" + std::to_string(...).
  std::string want = "[";
  want += std::to_string(batch);
  want += "] (or [1])";
  if (!t.defined()) return Error::invalid_argument("missing input '" + name + "' " + want);
  const bool numeric = dtype_is_float(t.dtype()) || t.dtype() == DType::kI64 || t.dtype() == DType::kI32;
  if (!numeric || t.dim() != 1 || (t.size(0) != batch && t.size(0) != 1)) {
    return Error::invalid_argument("input '" + name + "' must be a numeric " + want + ", got " + t.describe());
  }
  return {};
}

}  // namespace

FluxTransformer::FluxTransformer(FluxConfig config)
    : FusingModule(nullptr, ""),
      config_(std::move(config)),
      time_text_embed_(this, "time_text_embed", config_),
      context_embedder_(this, "context_embedder", config_.joint_attention_dim, config_.inner_dim()),
      x_embedder_(this, "x_embedder", config_.in_channels, config_.inner_dim()),
      transformer_blocks_(this, "transformer_blocks"),
      single_transformer_blocks_(this, "single_transformer_blocks"),
      norm_out_(this, "norm_out", config_.inner_dim(), 2),
      proj_out_(this, "proj_out", config_.inner_dim(), config_.output_channels()) {
  for (int64_t i = 0; i < config_.num_layers; ++i) transformer_blocks_.emplace(config_);
  for (int64_t i = 0; i < config_.num_single_layers; ++i) single_transformer_blocks_.emplace(config_);
}

Result<std::unique_ptr<FluxTransformer>> FluxTransformer::load(const std::filesystem::path& folder,
                                                               const nn::LoadOptions& options) {
  DC_TRY(ComponentFolder component, open_component(folder));
  DC_TRY(std::string cls, component.config.class_name());
  if (cls != "FluxTransformer2DModel") {
    return Error::not_supported(component.config.context() + ": _class_name is '" + cls +
                                "', expected FluxTransformer2DModel");
  }
  DC_TRY(FluxConfig config, parse_flux_config(component.config));
  auto model = std::make_unique<FluxTransformer>(std::move(config));
  const Checkpoint& weights = component.weights;
  Status loaded = model->Module::load(checkpoint_source(weights), options);
  if (!loaded) return std::move(loaded).error().with_context(folder.string());
  const std::vector<std::string> keys = model->parameter_keys();
  const std::vector<std::string> unused = weights.unused(std::set<std::string>(keys.begin(), keys.end()));
  if (!unused.empty()) {
    std::string list;
    for (size_t i = 0; i < unused.size() && i < 8; ++i) list += (i ? ", " : "") + unused[i];
    log(LogLevel::kWarning, folder.string() + ": " + std::to_string(unused.size()) +
                                " checkpoint tensors not used by FluxTransformer2DModel (config mismatch?): " + list +
                                (unused.size() > 8 ? ", ..." : ""));
  }
  return model;
}

Result<std::unique_ptr<FluxTransformer>> FluxTransformer::load_streamed(const std::filesystem::path& folder,
                                                                       const nn::LoadOptions& options) {
  DC_TRY(auto model, load(folder, {Device::cpu(), options.dtype}));
  DC_TRY_STATUS(model->stream_blocks(options.device));
  return model;
}

Status FluxTransformer::stream_blocks(Device device) {
  DC_CHECK(!streamer_, "FluxTransformer::stream_blocks called twice");
  std::vector<const nn::Module*> blocks;
  for (const auto& block : transformer_blocks_) blocks.push_back(block.get());
  for (const auto& block : single_transformer_blocks_) blocks.push_back(block.get());
  // The blocks' adaLN linears are rows of modulation_, which forward() runs once
  // for all blocks before the first: it stays resident with the rest.
  std::vector<const Storage*> modulation = {modulation_.weight.storage().get()};
  if (modulation_.bias.defined()) modulation.push_back(modulation_.bias.storage().get());
  DC_TRY(streamer_, nn::BlockStreamer::create(*this, blocks, device, modulation));
  std::vector<std::shared_ptr<Storage>> resident;
  auto add = [&](const std::shared_ptr<Storage>& s) {
    if (std::find(resident.begin(), resident.end(), s) == resident.end()) resident.push_back(s);
  };
  for (const nn::Module* m : std::initializer_list<const nn::Module*>{&time_text_embed_, &context_embedder_,
                                                                      &x_embedder_, &norm_out_, &proj_out_}) {
    // Parameters still viewing the checkpoint mapping get their own copy (the
    // mapping holds the whole file).
    for (const nn::Parameter* p : m->parameters())
      if (p->defined()) add(writable_parameter(*p).storage());
  }
  add(modulation_.weight.storage());
  if (modulation_.bias.defined()) add(modulation_.bias.storage());
  return nn::move_storages(resident, device);
}

Status FluxTransformer::validate(const FluxInputs& in) const {
  const FluxConfig& c = config_;
  DC_TRY_STATUS(check_float(in.hidden_states, "hidden_states", {-1, -1, c.in_channels},
                            dims({"B", "L", std::to_string(c.in_channels) + " (in_channels)"})));
  const int64_t b = in.hidden_states.size(0), l = in.hidden_states.size(1);
  DC_TRY_STATUS(
      check_float(in.encoder_hidden_states, "encoder_hidden_states", {b, -1, c.joint_attention_dim},
                  dims({std::to_string(b), "T", std::to_string(c.joint_attention_dim) + " (joint_attention_dim)"})));
  const int64_t t = in.encoder_hidden_states.size(1);
  DC_TRY_STATUS(
      check_float(in.pooled_projections, "pooled_projections", {b, c.pooled_projection_dim},
                  dims({std::to_string(b), std::to_string(c.pooled_projection_dim) + " (pooled_projection_dim)"})));
  DC_TRY_STATUS(check_per_sample(in.timestep, "timestep", b));
  if (c.guidance_embeds) {
    DC_TRY_STATUS(check_per_sample(in.guidance, "guidance", b));
  } else if (in.guidance.defined()) {
    return Error::invalid_argument(
        "input 'guidance' given, but this model has no guidance embedder "
        "(config guidance_embeds is false)");
  }
  if (l == 0) return Error::invalid_argument("input 'hidden_states' has no tokens: " + in.hidden_states.describe());
  if (in.rope) {
    if (in.rope->img_len != l || in.rope->txt_len != t) {
      return Error::invalid_argument("rope was prepared for " + std::to_string(in.rope->txt_len) + " text and " +
                                     std::to_string(in.rope->img_len) + " image tokens, inputs have " +
                                     std::to_string(t) + " and " + std::to_string(l));
    }
    return {};
  }
  const int64_t axes = static_cast<int64_t>(c.axes_dims_rope.size());
  DC_TRY(Tensor img_ids, position_ids_2d(in.img_ids, "img_ids", axes));
  DC_TRY(Tensor txt_ids, position_ids_2d(in.txt_ids, "txt_ids", axes));
  if (img_ids.size(0) != l) {
    return Error::invalid_argument("input 'img_ids' has " + std::to_string(img_ids.size(0)) +
                                   " rows, hidden_states has " + std::to_string(l) + " tokens");
  }
  if (txt_ids.size(0) != t) {
    return Error::invalid_argument("input 'txt_ids' has " + std::to_string(txt_ids.size(0)) +
                                   " rows, encoder_hidden_states has " + std::to_string(t) + " tokens");
  }
  return {};
}

Result<FluxRope> FluxTransformer::prepare_rope(const Tensor& img_ids, const Tensor& txt_ids) const {
  const int64_t axes = static_cast<int64_t>(config_.axes_dims_rope.size());
  DC_TRY(Tensor img, position_ids_2d(img_ids, "img_ids", axes));
  DC_TRY(Tensor txt, position_ids_2d(txt_ids, "txt_ids", axes));
  return catch_errors([&] {
    return make_flux_rope(txt, img, config_.axes_dims_rope, FluxConfig::kRopeTheta, x_embedder_.weight().device());
  });
}

Status FluxTransformer::after_load(const nn::LoadOptions&) {
  return catch_errors([&] {
    std::vector<const nn::Linear*> layers;
    for (const auto& block : transformer_blocks_)
      for (const AdaNormModulation* m : block->modulations()) layers.push_back(&m->linear());
    for (const auto& block : single_transformer_blocks_)
      for (const AdaNormModulation* m : block->modulations()) layers.push_back(&m->linear());
    layers.push_back(&norm_out_.linear());
    modulation_ = fuse_linears(layers);  // [ΣN, C], in the order forward() slices it
  });
}

Tensor FluxTransformer::timestep_proj(const Tensor& values, int64_t batch) const {
  const Tensor& w = x_embedder_.weight();
  return ops::timestep_embedding(ops::to_device(values, w.device()), batch, FluxConfig::kTimestepChannels,
                                 kTimestepScale, w.dtype());  // [B, 256]
}

Tensor FluxTransformer::forward(const FluxInputs& in) const {
  std::move(validate(in)).value_or_throw();
  const Tensor& w = x_embedder_.weight();
  auto prepare = [&](const Tensor& t) { return ops::contiguous(ops::to_device(ops::cast(t, w.dtype()), w.device())); };
  const int64_t b = in.hidden_states.size(0), t = in.encoder_hidden_states.size(1), l = in.hidden_states.size(1);
  const int64_t c = config_.inner_dim();

  // The residual streams live in one [B, T+L, C] buffer, text first: the double
  // blocks update its text and image rows in place, the single blocks all of it.
  const Tensor joint = Tensor::empty({b, t + l, c}, w.dtype(), w.device());
  const Tensor txt = joint.slice(1, 0, t);      // [B, T, C]
  const Tensor img = joint.slice(1, t, t + l);  // [B, L, C]
  ops::linear_into(img, prepare(in.hidden_states), x_embedder_.weight(), x_embedder_.bias());
  ops::linear_into(txt, prepare(in.encoder_hidden_states), context_embedder_.weight(), context_embedder_.bias());

  const Tensor temb = time_text_embed_.forward(timestep_proj(in.timestep, b),
                                               config_.guidance_embeds ? timestep_proj(in.guidance, b) : Tensor(),
                                               prepare(in.pooled_projections));  // [B, C]
  tap("temb", temb);
  // Every adaLN linear (norm1, norm1_context, norm, norm_out) reads silu(temb): one GEMM for all.
  const Tensor mod = modulation_.forward(ops::activation(temb, ops::Activation::kSiLU));  // [B, ΣN]
  int64_t mod_col = 0;
  auto next_mod = [&](const AdaNormModulation& m) {
    const Tensor slice = mod.slice(1, mod_col, mod_col + m.width());  // [B, chunks·C]
    mod_col += m.width();
    return slice;
  };

  FluxRope local_rope;
  if (!in.rope) local_rope = prepare_rope(in.img_ids, in.txt_ids).value_or_throw();
  const FluxRope& rope = in.rope ? *in.rope : local_rope;

  // Streaming: block k's weights are in a device slot between enter(k) and leave(k).
  std::optional<nn::BlockStreamer::Pass> pass;
  if (streamer_) pass.emplace(*streamer_);
  size_t k = 0;
  auto enter = [&] {
    if (pass) pass->enter(k);
  };
  auto leave = [&] {
    if (pass) pass->leave(k);
    ++k;
  };
  for (const auto& block : transformer_blocks_) {
    const std::vector<const AdaNormModulation*> m = block->modulations();  // norm1, norm1_context
    const Tensor mod_img = next_mod(*m[0]);
    const Tensor mod_txt = next_mod(*m[1]);
    enter();
    block->forward(img, txt, mod_img, mod_txt, rope);
    leave();
  }
  for (const auto& block : single_transformer_blocks_) {
    const Tensor mod_single = next_mod(*block->modulations()[0]);
    enter();
    block->forward(joint, mod_single, rope);
    leave();
  }
  pass.reset();

  // AdaLayerNormContinuous chunk order: scale, shift.
  const std::vector<Tensor> m = norm_out_.split(next_mod(norm_out_));                     // 2 x [B, C]
  DC_ASSERT(mod_col == mod.size(1), "FluxTransformer: modulation columns " << mod_col << " of " << mod.size(1));
  const Tensor normed = ops::layer_norm_modulate(img, m[0], m[1], FluxConfig::kNormEps);  // [B, L, C]
  tap("norm_out.hidden_states", normed);
  return proj_out_.forward(normed);  // [B, L, p²·out]
}

}  // namespace dc::models::flux
