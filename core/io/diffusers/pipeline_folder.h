// A diffusers pipeline folder: model_index.json naming the pipeline class and
// its components, each in a sub-folder.
//
//   DC_TRY(PipelineFolder p, open_pipeline("Sana_1600M_1024px_diffusers"));
//   p.pipeline_class();                                  // "SanaPipeline"
//   DC_TRY(ComponentFolder transformer, p.component("transformer"));
//   DC_TRY(auto tokenizer_dir, p.component_dir("tokenizer"));  // no weights: just the folder
//
// model_index.json lists components as `name: [library, class]`; entries
// `[null, null]` (an optional component left out, e.g. safety_checker) are not
// components. Keys starting with '_' and values that are not arrays are pipeline
// settings (requires_safety_checker), readable through model_index().
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/io/diffusers/component_folder.h"
#include "core/io/diffusers/config_reader.h"

namespace dc {

class PipelineFolder {
 public:
  const std::filesystem::path& dir() const { return dir_; }
  const std::string& pipeline_class() const { return pipeline_class_; }  // `_class_name`
  std::string diffusers_version() const { return model_index_.diffusers_version(); }
  const ConfigReader& model_index() const { return model_index_; }

  // Component names in model_index.json key order (sorted).
  const std::vector<std::string>& component_names() const { return names_; }
  bool has_component(std::string_view name) const { return components_.find(name) != components_.end(); }
  Result<std::string> component_library(std::string_view name) const;  // "diffusers", "transformers"
  Result<std::string> component_class(std::string_view name) const;    // "AutoencoderDC"

  // The component's folder; kNotFound if it is not a component or the folder is missing.
  Result<std::filesystem::path> component_dir(std::string_view name) const;
  // Opens a component with weights (see open_component); tokenizers and
  // schedulers have none: use component_dir for them.
  Result<ComponentFolder> component(std::string_view name, std::string_view variant = {}) const;

 private:
  friend Result<PipelineFolder> open_pipeline(const std::filesystem::path& dir);
  struct Entry {
    std::string library;
    std::string class_name;
  };
  Result<const Entry*> entry(std::string_view name) const;

  std::filesystem::path dir_;
  ConfigReader model_index_;
  std::string pipeline_class_;
  std::vector<std::string> names_;
  std::map<std::string, Entry, std::less<>> components_;
};

// Reads `dir`/model_index.json. kNotFound if missing; kFormat (naming the file
// and key) if `_class_name` is not a string, a component entry is not
// [library, class] strings, or a component name is not a plain folder name.
Result<PipelineFolder> open_pipeline(const std::filesystem::path& dir);

}  // namespace dc
