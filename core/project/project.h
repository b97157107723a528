// A DC Studio project: the models it uses, its shots and where renders go.
// Plain structs with no Qt and no engine types, shared by the app, dcgen render
// and the UI's timeline model. The `.dcproj` file is this struct as versioned
// JSON (project_file.h reads and writes it, project_schema.cpp validates it).
//
//   DC_TRY(Project p, load_project("film.dcproj"));
//   for (const Shot& s : p.shots) ... p.find_model(s.model)->folder ...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dc::project {

inline constexpr std::string_view kProjectFormat = "dcstudio-project";
inline constexpr int kProjectVersion = 1;  // what this build writes; older files are migrated on load

enum class ShotType { kImage, kVideo };
std::string_view shot_type_name(ShotType type);  // "image", "video"

// A pipeline folder (diffusers layout). `folder` may be relative: it is
// resolved against the project file's folder (resolve_model_folder).
struct ModelRef {
  std::string id;            // what shots name in their "model"
  std::string folder;
  std::string content_hash;  // content_hash(folder) when the project was made; empty: not checked
  bool operator==(const ModelRef&) const = default;
};

struct LoRARef {
  std::string path;  // .safetensors; relative paths are relative to the project folder
  double strength = 1.0;
  bool operator==(const LoRARef&) const = default;
};

// A prompt that takes over at a frame of a video shot. The shot's own prompt
// holds from frame 0; a keyframe's prompt from its frame until the next one
// (how the video pipeline blends neighbouring prompts is the pipeline's choice).
struct PromptKeyframe {
  int frame = 1;  // 1 ... frames - 1; a shot's keyframes are in increasing frame order
  std::string prompt;
  bool operator==(const PromptKeyframe&) const = default;
};

// Where the shot sits on the timeline (seconds from the start of the edit).
struct TimelinePlacement {
  int track = 0;
  double start = 0;
  double duration = 0;  // > 0
  bool operator==(const TimelinePlacement&) const = default;
};

struct Shot {
  std::string id;  // unique, 1-64 of [A-Za-z0-9_-]: it names the shot's output files
  ShotType type = ShotType::kImage;
  std::string model;  // a ModelRef::id
  std::string prompt;
  std::string negative_prompt;  // used with true CFG (true_cfg_scale > 1)
  uint64_t seed = 0;
  int steps = 20;
  double guidance = 3.5;        // embedded (distilled) guidance
  double true_cfg_scale = 1.0;  // > 1 with a negative prompt: two passes per step
  std::string sampler = "flow_match_euler";
  std::string schedule = "auto";  // sigma shift: auto, flux, flux2
  int width = 1024;
  int height = 1024;
  int frames = 0;   // video shots only
  double fps = 0;   // video shots only
  std::vector<PromptKeyframe> keyframes;  // video shots only
  std::vector<LoRARef> loras;
  TimelinePlacement timeline;
  bool operator==(const Shot&) const = default;
};

struct OutputSettings {
  std::string folder = "renders";    // relative to the project folder unless absolute
  std::string image_format = "png";  // png, exr, tif or safetensors
  bool operator==(const OutputSettings&) const = default;
};

struct Project {
  std::string name;
  std::vector<ModelRef> models;
  std::vector<Shot> shots;
  OutputSettings output;
  bool operator==(const Project&) const = default;

  const ModelRef* find_model(std::string_view id) const;  // nullptr when absent
  const Shot* find_shot(std::string_view id) const;
};

// The values the schema accepts (project_schema.cpp), for UIs and messages.
inline constexpr std::string_view kSamplers[] = {"flow_match_euler"};
inline constexpr std::string_view kSchedules[] = {"auto", "flux", "flux2"};
inline constexpr std::string_view kImageFormats[] = {"png", "exr", "tif", "safetensors"};

// The prompt in effect at `frame`: the last keyframe at or before it, else the shot's prompt.
const std::string& prompt_at_frame(const Shot& shot, int frame);

// True for 1-64 characters of [A-Za-z0-9_-] (no dots, slashes or spaces).
bool is_valid_shot_id(std::string_view id);

}  // namespace dc::project
