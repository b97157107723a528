#include "core/pipeline/embedded_model.h"

#include <cstdlib>
#include <string>
#include <string_view>

namespace dc::pipeline {
namespace {

std::filesystem::path executable_dir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : exe.parent_path();
}

}  // namespace

std::vector<std::filesystem::path> demo_model_search_path() {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("DC_DEMO_MODEL"); env != nullptr && *env != '\0' && std::string_view(env) != "off") {
    candidates.emplace_back(env);
  }
  if (const auto exe = executable_dir(); !exe.empty()) {
    candidates.push_back(exe.parent_path() / "share" / "dcstudio" / "models" / kDemoModelFolder);
  }
#ifdef DC_RESOURCES_DIR
  candidates.push_back(std::filesystem::path(DC_RESOURCES_DIR) / "demo_model" / kDemoModelFolder);
#endif
  return candidates;
}

Result<std::filesystem::path> first_pipeline_folder(const std::vector<std::filesystem::path>& candidates) {
  if (const char* env = std::getenv("DC_DEMO_MODEL"); env != nullptr && std::string_view(env) == "off") {
    return Error::not_found("the embedded demo model is turned off (DC_DEMO_MODEL=off); choose a model "
                            "(dcgen: --model PIPELINE_DIR)");
  }
  std::string looked;
  for (const auto& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "model_index.json", ec)) return dir;
    looked += "\n  " + dir.string();
  }
  return Error::not_found("the embedded demo model was not found (a pipeline folder with model_index.json); looked in:" +
                          looked + "\nset DC_DEMO_MODEL=FOLDER, or choose a model (dcgen: --model PIPELINE_DIR)");
}

}  // namespace dc::pipeline
