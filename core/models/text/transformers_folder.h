// Loading helpers shared by the transformers text encoders: open a component
// folder whose config.json names the expected architecture, bind a module tree
// from its checkpoint through a key mapping, and size the weights.
#pragma once

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/io/diffusers/component_folder.h"
#include "core/nn/module.h"

namespace dc::models::text {

// open_component(folder), then checks config.json's class (architectures[0])
// is one of `classes` (kNotSupported naming the class found otherwise).
Result<ComponentFolder> open_transformers_folder(const std::filesystem::path& folder,
                                                 std::initializer_list<std::string_view> classes);

// Binds `model` from `weights`; each parameter's key (the model path) is looked
// up as `checkpoint_key(key)`. Errors carry the folder as context.
Status bind_weights(nn::Module& model, const ComponentFolder& component,
                    const std::function<std::string(const std::string&)>& checkpoint_key,
                    const nn::LoadOptions& options);

// Σ numel · bytes(dtype) over the module's parameters (those it would bind).
int64_t parameter_bytes(const nn::Module& model, DType dtype);

}  // namespace dc::models::text
