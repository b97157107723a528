// A checkpoint as the nn::WeightSource models bind their parameters from.
// Header-only: every model layer links both core/nn and core/io.
#pragma once

#include <functional>
#include <string>

#include "core/io/safetensors/checkpoint.h"
#include "core/nn/module.h"

namespace dc::models {

// `checkpoint_key` maps a module key to the checkpoint's name for it (identity
// when empty), e.g. transformers' optional "text_model." prefix. The checkpoint
// must outlive the source.
inline nn::WeightSource checkpoint_source(const Checkpoint& weights,
                                          std::function<std::string(const std::string&)> checkpoint_key = {}) {
  auto name = [checkpoint_key](const std::string& key) { return checkpoint_key ? checkpoint_key(key) : key; };
  return nn::WeightSource{
      .contains = [&weights, name](const std::string& key) { return weights.contains(name(key)); },
      .tensor = [&weights, name](const std::string& key) { return weights.tensor(name(key)); },
  };
}

}  // namespace dc::models
