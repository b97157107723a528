#include "core/io/diffusers/component_folder.h"

#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace dc {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kStems[] = {"diffusion_pytorch_model", "model"};
constexpr std::string_view kSuffixes[] = {".safetensors", ".safetensors.index.json"};
constexpr std::string_view kPickleExtensions[] = {".bin", ".pt", ".pth", ".ckpt", ".pkl"};

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The first existing weights file for `variant` ("" = plain names), in lookup order.
std::optional<fs::path> find_named(const fs::path& dir, std::string_view variant, std::string* looked_for) {
  for (auto stem : kStems)
    for (auto suffix : kSuffixes) {
      std::string name(stem);
      if (!variant.empty()) name.append(".").append(variant);
      name += suffix;
      if (is_file(dir / name)) return dir / name;
      if (looked_for) *looked_for += (looked_for->empty() ? "" : ", ") + name;
    }
  return std::nullopt;
}

// "fp16" for "diffusion_pytorch_model.fp16.safetensors[.index.json]", else "".
std::string variant_of(const std::string& file_name) {
  for (auto stem : kStems) {
    const std::string prefix = std::string(stem) + ".";
    if (file_name.rfind(prefix, 0) != 0) continue;
    for (auto suffix : kSuffixes) {
      if (!ends_with(file_name, suffix) || file_name.size() <= prefix.size() + suffix.size()) continue;
      std::string middle = file_name.substr(prefix.size(), file_name.size() - prefix.size() - suffix.size());
      if (middle.find('.') == std::string::npos) return middle;
    }
  }
  return "";
}

}  // namespace

Result<fs::path> find_component_weights(const fs::path& dir, std::string_view variant) {
  const std::string where = dir.string();
  std::string looked_for;
  if (!variant.empty()) {
    if (variant.find('/') != std::string_view::npos || variant.find('.') != std::string_view::npos)
      return Error::invalid_argument(where + ": '" + std::string(variant) + "' is not a weights variant name");
    if (auto p = find_named(dir, variant, &looked_for)) return *p;
    return Error::not_found(where + ": no " + std::string(variant) + " weights (looked for " + looked_for + ")");
  }
  if (auto p = find_named(dir, "", &looked_for)) return *p;

  std::set<std::string> variants;
  std::vector<std::string> pickles;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::error_code type_ec;
    if (!entry.is_regular_file(type_ec)) continue;
    const std::string name = entry.path().filename().string();
    if (auto v = variant_of(name); !v.empty()) variants.insert(v);
    for (auto ext : kPickleExtensions)
      if (ends_with(name, ext)) pickles.push_back(name);
  }
  if (ec) return Error::io(where + ": cannot list folder: " + ec.message());
  if (variants.size() == 1)
    if (auto p = find_named(dir, *variants.begin(), nullptr)) return *p;
  if (variants.size() > 1) {
    std::string list;
    for (const auto& v : variants) list += (list.empty() ? "" : ", ") + v;
    return Error::invalid_argument(where + ": holds weights for several variants (" + list + "); choose one");
  }
  if (!pickles.empty())
    return Error::not_supported(where + ": holds only PyTorch pickle weights (" + pickles.front() +
                                "); DC Studio loads safetensors only, since unpickling can run code. Convert "
                                "them, e.g. load with diffusers and save_pretrained(..., safe_serialization=True)");
  return Error::not_found(where + ": no weights (looked for " + looked_for + ")");
}

Result<ComponentFolder> open_component(const fs::path& dir, std::string_view variant) {
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (!fs::exists(status)) return Error::not_found(dir.string() + ": no such folder");
  if (!fs::is_directory(status))
    return Error::invalid_argument(dir.string() + " is a file; pass the component folder holding config.json and "
                                   "the weights");
  const fs::path config_path = dir / "config.json";
  if (!is_file(config_path))
    return Error::not_found(dir.string() + ": no config.json (not a diffusers component folder?)");

  DC_TRY(ConfigReader config, ConfigReader::from_file(config_path));
  DC_TRY(fs::path weights_path, find_component_weights(dir, variant));
  DC_TRY(Checkpoint weights, Checkpoint::open(weights_path));
  return ComponentFolder{dir, std::move(config), std::move(weights)};
}

}  // namespace dc
