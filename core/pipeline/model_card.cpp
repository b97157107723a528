#include "core/pipeline/model_card.h"

#include "core/io/diffusers/config_reader.h"

namespace dc::pipeline {
namespace {

Result<int> read_size(const ConfigReader& card, const char* key) {
  DC_TRY(int64_t value, card.get_int_or(key, 0));
  if (value != 0 && (value < 16 || value > 16384 || value % 16 != 0)) {
    return Error::format(card.context() + ": '" + key + "' must be a multiple of 16 between 16 and 16384 (got " +
                         std::to_string(value) + ")");
  }
  return static_cast<int>(value);
}

}  // namespace

Result<std::optional<ModelCard>> read_model_card(const std::filesystem::path& pipeline_dir) {
  const std::filesystem::path path = pipeline_dir / kModelCardFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<ModelCard>{};
  DC_TRY(ConfigReader card, ConfigReader::from_file(path));
  ModelCard out;
  DC_TRY(out.label, card.get_string_or("label", ""));
  DC_TRY(out.default_width, read_size(card, "default_width"));
  DC_TRY(out.default_height, read_size(card, "default_height"));
  if ((out.default_width == 0) != (out.default_height == 0)) {
    return Error::format(card.context() + ": give both 'default_width' and 'default_height', or neither");
  }
  DC_TRY(out.demo, card.get_bool_or("demo", false));
  DC_TRY(out.notes, card.get_string_or("notes", ""));
  return std::optional<ModelCard>{std::move(out)};
}

}  // namespace dc::pipeline
