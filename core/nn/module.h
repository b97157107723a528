// Module: a node of a model tree whose path is the checkpoint key prefix.
// Members register themselves with their parent under the name the public
// checkpoint uses, so `encoder.down_blocks.0.1.conv1.weight` is both the C++
// member path and the diffusers key. No string lookups happen in forward.
//
//   class ResBlock : public Module {
//    public:
//     ResBlock(Module* parent, std::string name, int64_t c)
//         : Module(parent, std::move(name)), conv1_(this, "conv1", {...}) {}
//    private:
//     Conv2d conv1_;   // "conv1"
//   };
//   Status s = root.load(lookup, {Device::cuda(), DType::kBF16});
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc::nn {

class Parameter;

// Fetches a checkpoint tensor by its full key (models adapt core/io checkpoints to this).
struct WeightSource {
  std::function<bool(const std::string& key)> contains;
  std::function<Result<Tensor>(const std::string& key)> tensor;
};

struct LoadOptions {
  Device device = Device::cpu();
  DType dtype = DType::kF32;  // floating parameters are cast to this unless they ask to stay f32
};

class Module {
 public:
  Module(Module* parent, std::string name);
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  const std::string& name() const { return name_; }
  std::string path() const;  // dotted path from the root ("" for the root)

  // Binds every parameter of this subtree (shape-checked, cast, moved to the
  // device); a missing required key or a shape mismatch is an Error naming the key.
  Status load(const WeightSource& source, const LoadOptions& options);
  // Full keys of every parameter of this subtree (for unused-key reports and tests).
  std::vector<std::string> parameter_keys() const;
  std::vector<const Parameter*> parameters() const;

  // In-place weight edits after load (LoRA merges, core/nn/low_rank_update.h). Writes
  // through the returned tensor reach every view of the parameter's storage (the rows
  // of a fused matrix). A parameter still viewing a read-only checkpoint mapping (an
  // f32 CPU load keeps the zero-copy view) is first given a private copy.
  Tensor writable_parameter(const Parameter& p);
  // Reads the bound parameter `p` of this subtree from `source` again, as load() did
  // (same checks, cast and device), and writes it into its current storage: the
  // exact checkpoint value, whatever edits were made since.
  Status reload_parameter(const Parameter& p, const WeightSource& source, const LoadOptions& options);

 protected:
  // Called after this module's parameters are bound (e.g. fold BatchNorm statistics).
  virtual Status after_load(const LoadOptions&) { return {}; }
  // For weight fusions built in after_load: re-points the bound parameter `p` of this
  // subtree at `value` (same shape, dtype and device, holding the same numbers, e.g.
  // rows of a matrix stacking several layers' weights), so the data is stored once.
  void share_parameter(const Parameter& p, const Tensor& value);
  // Records `t` under path() + "." + name when a tap sink is installed (see tap.h).
  void tap(std::string_view name, const Tensor& t) const;

 private:
  friend class Parameter;
  void collect(std::vector<const Parameter*>& out) const;
  Parameter* find_parameter(const Parameter& p);  // in this subtree, or null

  Module* parent_;
  std::string name_;
  std::vector<Module*> children_;
  std::vector<Parameter*> params_;
};

enum class ParamKind {
  kRequired,  // must be in the checkpoint
  kOptional,  // bound when present (e.g. a bias some configs omit)
  kIgnored,   // present in checkpoints, not needed (BatchNorm num_batches_tracked)
  kAbsent,    // not part of this configuration's layout (a bias the config turns off)
};

class Parameter {
 public:
  // `shape` is what the config implies; the checkpoint must match it exactly.
  Parameter(Module* owner, std::string name, Shape shape, ParamKind kind = ParamKind::kRequired,
            bool keep_f32 = false);
  Parameter(const Parameter&) = delete;
  Parameter& operator=(const Parameter&) = delete;

  const Tensor& get() const { return value_; }
  bool defined() const { return value_.defined(); }
  const Shape& expected_shape() const { return shape_; }
  std::string key() const;
  ParamKind kind() const { return kind_; }

 private:
  friend class Module;
  Status bind(const WeightSource& source, const LoadOptions& options);
  // The checkpoint tensor for this parameter, checked and converted as load() binds it.
  Result<Tensor> read(const WeightSource& source, const LoadOptions& options) const;
  Result<Tensor> convert(const Tensor& checkpoint_tensor, const LoadOptions& options) const;

  Module* owner_;
  std::string name_;
  Shape shape_;
  ParamKind kind_;
  bool keep_f32_;
  Tensor value_;
  bool mapped_ = false;  // value_ is the checkpoint's zero-copy (read-only) view
};

// An ordered container whose children are named "0", "1", ... (torch
// ModuleList / Sequential). T may be a polymorphic base (e.g. Layer2d).
template <class T>
class ModuleList : public Module {
 public:
  using Module::Module;

  template <class U = T, class... Args>
  U& emplace(Args&&... args) {
    auto child = std::make_unique<U>(this, std::to_string(items_.size()), std::forward<Args>(args)...);
    U& ref = *child;
    items_.push_back(std::move(child));
    return ref;
  }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const T& operator[](size_t i) const { return *items_[i]; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<std::unique_ptr<T>> items_;
};

// A module that maps one NCHW tensor to another (the blocks of a Sequential stage).
class Layer2d : public Module {
 public:
  using Module::Module;
  virtual Tensor forward(const Tensor& x) const = 0;
};

// Runs a list of Layer2d in order.
Tensor run_sequential(const ModuleList<Layer2d>& layers, Tensor x);

}  // namespace dc::nn
