#include "core/project/project.h"

#include <algorithm>

namespace dc::project {

std::string_view shot_type_name(ShotType type) { return type == ShotType::kVideo ? "video" : "image"; }

const ModelRef* Project::find_model(std::string_view id) const {
  const auto it = std::find_if(models.begin(), models.end(), [&](const ModelRef& m) { return m.id == id; });
  return it == models.end() ? nullptr : &*it;
}

const Shot* Project::find_shot(std::string_view id) const {
  const auto it = std::find_if(shots.begin(), shots.end(), [&](const Shot& s) { return s.id == id; });
  return it == shots.end() ? nullptr : &*it;
}

const std::string& prompt_at_frame(const Shot& shot, int frame) {
  const std::string* prompt = &shot.prompt;
  for (const PromptKeyframe& k : shot.keyframes)
    if (k.frame <= frame) prompt = &k.prompt;
  return *prompt;
}

bool is_valid_shot_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace dc::project
