#include "core/models/text/transformers_folder.h"

#include "core/models/checkpoint_source.h"

namespace dc::models::text {

Result<ComponentFolder> open_transformers_folder(const std::filesystem::path& folder,
                                                 std::initializer_list<std::string_view> classes) {
  DC_TRY(ComponentFolder component, open_component(folder));
  DC_TRY(std::string cls, component.config.class_name());
  std::string expected;
  for (std::string_view c : classes) {
    if (cls == c) return component;
    expected += (expected.empty() ? "" : " or ") + std::string(c);
  }
  return Error::not_supported(component.config.context() + ": architecture is '" + cls + "', expected " + expected);
}

Status bind_weights(nn::Module& model, const ComponentFolder& component,
                    const std::function<std::string(const std::string&)>& checkpoint_key,
                    const nn::LoadOptions& options) {
  Status loaded = model.load(checkpoint_source(component.weights, checkpoint_key), options);
  if (!loaded) return std::move(loaded).error().with_context(component.dir.string());
  return {};
}

int64_t parameter_bytes(const nn::Module& model, DType dtype) {
  int64_t bytes = 0;
  for (const nn::Parameter* p : model.parameters()) {
    if (p->kind() == nn::ParamKind::kIgnored) continue;
    bytes += shape_numel(p->expected_shape()) * dtype_bits(dtype) / 8;
  }
  return bytes;
}

}  // namespace dc::models::text
