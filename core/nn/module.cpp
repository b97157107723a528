#include "core/nn/module.h"

#include "core/base/assert.h"
#include "core/nn/tap.h"
#include "core/ops/copy.h"

namespace dc::nn {

Module::Module(Module* parent, std::string name) : parent_(parent), name_(std::move(name)) {
  if (parent_) parent_->children_.push_back(this);
}

std::string Module::path() const {
  if (!parent_) return name_;
  std::string p = parent_->path();
  return p.empty() ? name_ : p + "." + name_;
}

Status Module::load(const WeightSource& source, const LoadOptions& options) {
  for (Parameter* p : params_) DC_TRY_STATUS(p->bind(source, options));
  for (Module* c : children_) DC_TRY_STATUS(c->load(source, options));
  return after_load(options);
}

void Module::collect(std::vector<const Parameter*>& out) const {
  for (const Parameter* p : params_)
    if (p->kind() != ParamKind::kAbsent) out.push_back(p);
  for (const Module* c : children_) c->collect(out);
}

std::vector<const Parameter*> Module::parameters() const {
  std::vector<const Parameter*> out;
  collect(out);
  return out;
}

std::vector<std::string> Module::parameter_keys() const {
  std::vector<std::string> keys;
  for (const Parameter* p : parameters()) keys.push_back(p->key());
  return keys;
}

void Module::share_parameter(const Parameter& p, const Tensor& value) {
  Parameter* own = find_parameter(p);
  DC_CHECK(own, "share_parameter: '" << p.key() << "' is not in the subtree of '" << path() << "'");
  DC_CHECK(value.shape() == own->value_.shape() && value.dtype() == own->value_.dtype() &&
               value.device() == own->value_.device(),
           "share_parameter: " << value.describe() << " cannot stand for '" << p.key() << "' "
                               << own->value_.describe());
  own->value_ = value;
  own->mapped_ = false;
}

Tensor Module::writable_parameter(const Parameter& p) {
  Parameter* own = find_parameter(p);
  DC_CHECK(own && own->defined(), "writable_parameter: '" << p.key() << "' is not a bound parameter of '" << path()
                                                           << "'");
  if (own->mapped_) {  // not shared with a fused matrix (share_parameter clears the flag): a copy is enough
    own->value_ = ops::clone(own->value_);
    own->mapped_ = false;
  }
  return own->value_;
}

Status Module::reload_parameter(const Parameter& p, const WeightSource& source, const LoadOptions& options) {
  Parameter* own = find_parameter(p);
  DC_CHECK(own && own->defined(), "reload_parameter: '" << p.key() << "' is not a bound parameter of '" << path()
                                                         << "'");
  DC_TRY(Tensor fresh, own->read(source, options));
  if (fresh.dtype() != own->value_.dtype() || fresh.device() != own->value_.device()) {
    return Error::invalid_argument("reload_parameter: '" + p.key() + "' was loaded as " + own->value_.describe() +
                                   ", reloading gives " + fresh.describe());
  }
  if (own->mapped_) {
    own->value_ = std::move(fresh);  // still the untouched mapping
    return {};
  }
  return catch_errors([&] { ops::copy_(own->value_, fresh); });
}

Parameter* Module::find_parameter(const Parameter& p) {
  for (Parameter* own : params_)
    if (own == &p) return own;
  for (Module* c : children_)
    if (Parameter* found = c->find_parameter(p)) return found;
  return nullptr;
}

void Module::tap(std::string_view name, const Tensor& t) const {
  if (!tap_enabled()) return;
  const std::string p = path();
  emit_tap(p.empty() ? std::string(name) : p + "." + std::string(name), t);
}

Parameter::Parameter(Module* owner, std::string name, Shape shape, ParamKind kind, bool keep_f32)
    : owner_(owner), name_(std::move(name)), shape_(std::move(shape)), kind_(kind), keep_f32_(keep_f32) {
  owner_->params_.push_back(this);
}

std::string Parameter::key() const {
  const std::string p = owner_->path();
  return p.empty() ? name_ : p + "." + name_;
}

Status Parameter::bind(const WeightSource& source, const LoadOptions& options) {
  const std::string k = key();
  if (kind_ == ParamKind::kIgnored || kind_ == ParamKind::kAbsent) return {};
  if (!source.contains(k)) {
    if (kind_ == ParamKind::kOptional) return {};
    return Error::not_found("missing tensor '" + k + "' (expected shape " + shape_to_string(shape_) + ")");
  }
  DC_TRY(Tensor t, source.tensor(k));
  DC_TRY(value_, convert(t, options));
  // An f32 CPU load keeps the zero-copy mmap view: the storage owns the mapping.
  mapped_ = value_.storage() == t.storage();
  return {};
}

Result<Tensor> Parameter::read(const WeightSource& source, const LoadOptions& options) const {
  DC_TRY(Tensor t, source.tensor(key()));
  return convert(t, options);
}

Result<Tensor> Parameter::convert(const Tensor& t, const LoadOptions& options) const {
  const std::string k = key();
  if (t.shape() != shape_) {
    return Error::format("tensor '" + k + "' has shape " + shape_to_string(t.shape()) + ", config expects " +
                         shape_to_string(shape_));
  }
  if (!dtype_is_float(t.dtype())) return Error::format("tensor '" + k + "' has non-float dtype " +
                                                       std::string(dtype_name(t.dtype())));
  const DType target = keep_f32_ ? DType::kF32 : options.dtype;
  return catch_errors([&] {
    // Cast on the host first when shrinking (less to transfer), else after the move.
    return dtype_bits(target) <= dtype_bits(t.dtype()) ? ops::to_device(ops::cast(t, target), options.device)
                                                       : ops::cast(ops::to_device(t, options.device), target);
  });
}

Tensor run_sequential(const ModuleList<Layer2d>& layers, Tensor x) {
  for (const auto& layer : layers) x = layer->forward(x);
  return x;
}

}  // namespace dc::nn
