#include "core/project/project_schema.h"

#include <map>

#include <nlohmann/json.hpp>

#include "core/project/content_hash.h"
#include "core/project/schema_reader.h"

namespace dc::project {
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr double kImageShotSeconds = 5.0;  // timeline length of an image shot without "timeline"
constexpr double kMaxSeconds = 1e7;        // ~115 days: a bound that only catches garbage
constexpr std::string_view kShotTypes[] = {"image", "video"};

ModelRef read_model(const json& value, const std::string& path, SchemaProblems& problems) {
  ObjectReader r(value, path, problems);
  ModelRef m;
  m.id = r.string("id", std::nullopt, false);
  m.folder = r.string("folder", std::nullopt, false);
  m.content_hash = r.string("content_hash", "");
  if (r.has("content_hash") && !m.content_hash.empty() && !is_valid_content_hash(m.content_hash)) {
    r.problem("content_hash", "must look like \"fnv1a64:\" + 16 hex digits, got \"" + m.content_hash + "\"");
  }
  r.reject_unknown_keys();
  return m;
}

LoRARef read_lora(const json& value, const std::string& path, SchemaProblems& problems) {
  ObjectReader r(value, path, problems);
  LoRARef l;
  l.path = r.string("path", std::nullopt, false);
  l.strength = r.number("strength", 1.0, -10.0, 10.0);
  r.reject_unknown_keys();
  return l;
}

// Prompt keyframes of a video shot of `frames` frames: frames 1 ... frames - 1
// (frame 0 is the shot's own prompt), one per frame, in increasing order.
std::vector<PromptKeyframe> read_keyframes(const json& value, const std::string& path, int frames,
                                           SchemaProblems& problems) {
  std::vector<PromptKeyframe> keyframes;
  if (!value.empty() && frames < 2) {
    problems.add(path, "a shot of " + std::to_string(frames) + " frame has no frame after 0 for a keyframe");
    return keyframes;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    ObjectReader r(value[i], json_path(path, i), problems);
    PromptKeyframe k;
    const size_t problems_before = problems.items().size();
    k.frame = static_cast<int>(r.integer("frame", std::nullopt, 1, frames - 1));
    const bool frame_read = problems.items().size() == problems_before;
    k.prompt = r.string("prompt");
    if (frame_read && !keyframes.empty() && k.frame <= keyframes.back().frame) {
      r.problem("frame", "must be after keyframes[" + std::to_string(i - 1) + "]'s frame " +
                             std::to_string(keyframes.back().frame) + " (one keyframe per frame, in frame order)");
    }
    r.reject_unknown_keys();
    keyframes.push_back(std::move(k));
  }
  return keyframes;
}

// `previous_end`: where the shot before this one ends (the default start).
TimelinePlacement read_timeline(ObjectReader& shot, const Shot& s, double previous_end, SchemaProblems& problems) {
  TimelinePlacement t;
  t.start = previous_end;
  t.duration = s.type == ShotType::kVideo && s.fps > 0 ? s.frames / s.fps : kImageShotSeconds;
  const json* v = shot.object("timeline", false);
  if (!v) return t;
  ObjectReader r(*v, shot.path_of("timeline"), problems);
  t.track = static_cast<int>(r.integer("track", 0, 0, 1000));
  t.start = r.number("start", t.start, 0.0, kMaxSeconds);
  t.duration = r.number("duration", t.duration, 0.0, kMaxSeconds, true);
  r.reject_unknown_keys();
  return t;
}

Shot read_shot(const json& value, const std::string& path, double previous_end, SchemaProblems& problems) {
  ObjectReader r(value, path, problems);
  Shot s;
  s.id = r.string("id", std::nullopt, false);
  if (!s.id.empty() && !is_valid_shot_id(s.id)) {
    r.problem("id", "\"" + s.id + "\" must be 1 to 64 letters, digits, '_' or '-' (it names output files)");
  }
  s.type = r.choice("type", kShotTypes) == "video" ? ShotType::kVideo : ShotType::kImage;
  s.model = r.string("model", std::nullopt, false);
  s.prompt = r.string("prompt");
  s.negative_prompt = r.string("negative_prompt", "");
  s.seed = r.unsigned_integer("seed");
  s.steps = static_cast<int>(r.integer("steps", 20, 1, 1000));
  s.guidance = r.number("guidance", 3.5, 0.0, 100.0);
  s.true_cfg_scale = r.number("true_cfg_scale", 1.0, 1.0, 100.0);
  if (!s.negative_prompt.empty() && s.true_cfg_scale <= 1.0) {
    r.problem("negative_prompt", "is only used with true CFG: set \"true_cfg_scale\" above 1 (e.g. 4)");
  }
  s.sampler = r.choice("sampler", kSamplers, std::string(kSamplers[0]));
  s.schedule = r.choice("schedule", kSchedules, "auto");
  s.width = static_cast<int>(r.integer("width", std::nullopt, 16, 16384));
  s.height = static_cast<int>(r.integer("height", std::nullopt, 16, 16384));
  if (s.type == ShotType::kVideo) {
    s.frames = static_cast<int>(r.integer("frames", std::nullopt, 1, 100000));
    s.fps = r.number("fps", std::nullopt, 0.0, 240.0, true);
    if (const json* keyframes = r.array("keyframes", false))
      s.keyframes = read_keyframes(*keyframes, r.path_of("keyframes"), s.frames, problems);
  } else {
    for (const char* key : {"frames", "fps", "keyframes"}) {
      if (r.has(key)) r.problem(key, "is only for video shots (this shot's type is image)");
      r.mark_known(key);
    }
  }
  if (const json* loras = r.array("loras", false)) {
    for (size_t i = 0; i < loras->size(); ++i)
      s.loras.push_back(read_lora((*loras)[i], json_path(r.path_of("loras"), i), problems));
  }
  s.timeline = read_timeline(r, s, previous_end, problems);
  r.reject_unknown_keys();
  return s;
}

OutputSettings read_output(ObjectReader& top, SchemaProblems& problems) {
  OutputSettings o;
  const json* v = top.object("output", false);
  if (!v) return o;
  ObjectReader r(*v, "output", problems);
  o.folder = r.string("folder", o.folder, false);
  o.image_format = r.choice("image_format", kImageFormats, o.image_format);
  r.reject_unknown_keys();
  return o;
}

// Unique ids, and shots naming models that exist.
void check_references(const Project& p, SchemaProblems& problems) {
  std::map<std::string, size_t> models, shots;
  for (size_t i = 0; i < p.models.size(); ++i) {
    const auto [it, fresh] = models.emplace(p.models[i].id, i);
    if (!fresh && !p.models[i].id.empty()) {
      problems.add(json_path(json_path("models", i), "id"),
                   "\"" + p.models[i].id + "\" is used by models[" + std::to_string(it->second) + "] too");
    }
  }
  for (size_t i = 0; i < p.shots.size(); ++i) {
    const Shot& s = p.shots[i];
    const auto [it, fresh] = shots.emplace(s.id, i);
    if (!fresh && !s.id.empty()) {
      problems.add(json_path(json_path("shots", i), "id"),
                   "\"" + s.id + "\" is used by shots[" + std::to_string(it->second) + "] too");
    }
    if (!s.model.empty() && !models.contains(s.model)) {
      std::string known;
      for (const auto& [id, index] : models) known += (known.empty() ? "" : ", ") + id;
      problems.add(json_path(json_path("shots", i), "model"),
                   "unknown model \"" + s.model + "\" (models: " + (known.empty() ? "none" : known) + ")");
    }
  }
}

}  // namespace

Result<Project> project_from_json(const json& document) {
  SchemaProblems problems;
  ObjectReader top(document, "", problems);
  if (!top.is_object()) return problems.to_error("not a DC Studio project");
  const std::string format = top.string("format");
  if (format != kProjectFormat) top.problem("format", "must be \"" + std::string(kProjectFormat) + "\"");
  top.integer("version", std::nullopt, kProjectVersion, kProjectVersion);
  Project p;
  p.name = top.string("name", "");
  if (const json* models = top.array("models", true)) {
    for (size_t i = 0; i < models->size(); ++i)
      p.models.push_back(read_model((*models)[i], json_path("models", i), problems));
  }
  if (const json* shots = top.array("shots", true)) {
    double previous_end = 0;
    for (size_t i = 0; i < shots->size(); ++i) {
      p.shots.push_back(read_shot((*shots)[i], json_path("shots", i), previous_end, problems));
      previous_end = p.shots.back().timeline.start + p.shots.back().timeline.duration;
    }
  }
  p.output = read_output(top, problems);
  top.reject_unknown_keys();
  check_references(p, problems);
  if (!problems.empty()) return problems.to_error("invalid project");
  return p;
}

ordered_json project_to_json(const Project& p) {
  ordered_json doc;
  doc["format"] = kProjectFormat;
  doc["version"] = kProjectVersion;
  doc["name"] = p.name;
  doc["models"] = ordered_json::array();
  for (const ModelRef& m : p.models) {
    ordered_json j = {{"id", m.id}, {"folder", m.folder}};
    if (!m.content_hash.empty()) j["content_hash"] = m.content_hash;
    doc["models"].push_back(std::move(j));
  }
  doc["shots"] = ordered_json::array();
  for (const Shot& s : p.shots) {
    ordered_json j;
    j["id"] = s.id;
    j["type"] = shot_type_name(s.type);
    j["model"] = s.model;
    j["prompt"] = s.prompt;
    j["negative_prompt"] = s.negative_prompt;
    j["seed"] = s.seed;
    j["steps"] = s.steps;
    j["guidance"] = s.guidance;
    j["true_cfg_scale"] = s.true_cfg_scale;
    j["sampler"] = s.sampler;
    j["schedule"] = s.schedule;
    j["width"] = s.width;
    j["height"] = s.height;
    if (s.type == ShotType::kVideo) {
      j["frames"] = s.frames;
      j["fps"] = s.fps;
      j["keyframes"] = ordered_json::array();
      for (const PromptKeyframe& k : s.keyframes) j["keyframes"].push_back({{"frame", k.frame}, {"prompt", k.prompt}});
    }
    j["loras"] = ordered_json::array();
    for (const LoRARef& l : s.loras) j["loras"].push_back({{"path", l.path}, {"strength", l.strength}});
    j["timeline"] = {{"track", s.timeline.track}, {"start", s.timeline.start}, {"duration", s.timeline.duration}};
    doc["shots"].push_back(std::move(j));
  }
  doc["output"] = {{"folder", p.output.folder}, {"image_format", p.output.image_format}};
  return doc;
}

}  // namespace dc::project
