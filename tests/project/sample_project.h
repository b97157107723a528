// Projects and documents shared by the project tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "core/project/project.h"

namespace dc::test {

// Every field set away from its default: image shots with and without LoRAs,
// negative prompt + true CFG, a video shot with prompt keyframes, non-default
// output settings.
inline project::Project sample_project() {
  using namespace project;
  Project p;
  p.name = "Harbour at dawn — draft 3";
  p.models = {{"dcgen-1k", "../models/DC-Gen-FLUX.1-Krea-Dev-Res1K", "fnv1a64:0123456789abcdef"},
              {"tiny", "/abs/tiny-dcgen-flux", ""}};
  Shot a;
  a.id = "opening";
  a.model = "dcgen-1k";
  a.prompt = "a lighthouse at dawn, oil painting, 灯台";
  a.seed = 18446744073709551615ull;  // the largest seed round-trips exactly
  a.steps = 28;
  a.guidance = 4.25;
  a.width = 1536;
  a.height = 1024;
  a.schedule = "flux2";
  a.loras = {{"loras/watercolor.safetensors", 0.75}, {"/abs/ink.safetensors", -0.5}};
  a.timeline = {1, 2.5, 4.0};
  Shot b;
  b.id = "close_up-2";
  b.model = "tiny";
  b.prompt = "gulls";
  b.negative_prompt = "blurry, text";
  b.true_cfg_scale = 4.0;
  b.seed = 7;
  b.width = 512;
  b.height = 768;
  b.schedule = "flux";
  b.timeline = {0, 6.5, 5.0};
  Shot v;
  v.id = "pan";
  v.type = ShotType::kVideo;
  v.model = "dcgen-1k";
  v.prompt = "slow pan over the harbour";
  v.seed = 3;
  v.steps = 30;
  v.width = 832;
  v.height = 480;
  v.frames = 81;
  v.fps = 16;
  v.keyframes = {{24, "the lighthouse comes into view"}, {80, "gulls over the water, 灯台"}};  // 80: the last frame
  v.timeline = {0, 11.5, 81.0 / 16};
  p.shots = {a, b, v};
  p.output = {"/renders/harbour", "exr"};
  return p;
}

// A small valid version-1 document: two image shots and a video shot, no optional keys.
inline nlohmann::json minimal_document() {
  return nlohmann::json::parse(R"({
    "format": "dcstudio-project", "version": 1,
    "models": [{"id": "m", "folder": "model"}],
    "shots": [
      {"id": "a", "type": "image", "model": "m", "prompt": "one", "seed": 1, "width": 64, "height": 64},
      {"id": "b", "type": "video", "model": "m", "prompt": "two", "seed": 2, "width": 64, "height": 32,
       "frames": 16, "fps": 8},
      {"id": "c", "type": "image", "model": "m", "prompt": "three", "seed": 3, "width": 32, "height": 64}
    ]})");
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace dc::test
