// The .dcproj format: round trips, defaults, the schema's errors (naming JSON
// paths), version handling, files left untouched by failed loads.
#include <gtest/gtest.h>

#include <functional>

#include "core/project/project_file.h"
#include "core/project/project_schema.h"
#include "tests/common/test_util.h"
#include "tests/project/sample_project.h"

namespace dc::project {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(ProjectFormat, EveryFieldRoundTripsThroughText) {
  const Project p = test::sample_project();
  auto text = serialize_project(p);
  ASSERT_TRUE(text) << text.error().to_string();
  auto back = parse_project(*text);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, p);
  auto again = serialize_project(*back);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *text);  // stable: saving a loaded project changes nothing
  const json doc = json::parse(*text);
  EXPECT_EQ(doc["format"], "dcstudio-project");
  EXPECT_EQ(doc["version"], kProjectVersion);
  EXPECT_FALSE(doc["shots"][0].contains("frames"));  // video-only keys only on video shots
  EXPECT_EQ(doc["shots"][2]["frames"], 81);
  EXPECT_FALSE(doc["shots"][0].contains("keyframes"));
  EXPECT_EQ(doc["shots"][2]["keyframes"][1]["frame"], 80);
  EXPECT_EQ(doc["shots"][2]["keyframes"][1]["prompt"], "gulls over the water, 灯台");
  EXPECT_FALSE(doc["models"][1].contains("content_hash"));  // empty hash: not written
}

TEST(ProjectFormat, SaveAndLoadRoundTripThroughAFile) {
  test::TempDir tmp;
  const fs::path path = tmp / "film.dcproj";
  const Project p = test::sample_project();
  ASSERT_TRUE(save_project_atomic(p, path));
  auto loaded = load_project(path);
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  EXPECT_EQ(*loaded, p);
  const std::string first = test::read_file(path);
  ASSERT_TRUE(save_project_atomic(*loaded, path));
  EXPECT_EQ(test::read_file(path), first);
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);  // no temporaries left
}

TEST(ProjectFormat, OptionalKeysTakeTheirDefaultsAndShotsFollowOneAnother) {
  auto p = parse_project(test::minimal_document().dump());
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->shots.size(), 3u);
  const Shot& a = p->shots[0];
  EXPECT_EQ(a.steps, 20);
  EXPECT_EQ(a.guidance, 3.5);
  EXPECT_EQ(a.true_cfg_scale, 1.0);
  EXPECT_EQ(a.sampler, "flow_match_euler");
  EXPECT_EQ(a.schedule, "auto");
  EXPECT_TRUE(a.negative_prompt.empty());
  EXPECT_TRUE(a.loras.empty());
  EXPECT_EQ(p->output, OutputSettings{});
  EXPECT_EQ(p->name, "");
  // Without "timeline": one after another on track 0; images last 5 s, videos frames / fps.
  EXPECT_EQ(p->shots[0].timeline, (TimelinePlacement{0, 0.0, 5.0}));
  EXPECT_EQ(p->shots[1].timeline, (TimelinePlacement{0, 5.0, 2.0}));
  EXPECT_EQ(p->shots[2].timeline, (TimelinePlacement{0, 7.0, 5.0}));
  EXPECT_EQ(p->shots[1].type, ShotType::kVideo);
  EXPECT_EQ(p->shots[1].frames, 16);
  EXPECT_TRUE(p->shots[1].keyframes.empty());
}

TEST(ProjectFormat, KeyframesLoadInFrameOrderAndNameThePromptInEffect) {
  json doc = test::minimal_document();  // shot "b": 16 frames
  doc["shots"][1]["keyframes"] = {{{"frame", 4}, {"prompt", "dusk"}}, {{"frame", 15}, {"prompt", "night"}}};
  auto p = parse_project(doc.dump());
  ASSERT_TRUE(p) << p.error().to_string();
  const Shot& b = p->shots[1];
  ASSERT_EQ(b.keyframes, (std::vector<PromptKeyframe>{{4, "dusk"}, {15, "night"}}));
  EXPECT_EQ(prompt_at_frame(b, 0), "two");  // the shot's own prompt until the first keyframe
  EXPECT_EQ(prompt_at_frame(b, 3), "two");
  EXPECT_EQ(prompt_at_frame(b, 4), "dusk");
  EXPECT_EQ(prompt_at_frame(b, 14), "dusk");
  EXPECT_EQ(prompt_at_frame(b, 15), "night");
  EXPECT_EQ(prompt_at_frame(p->shots[0], 3), "one");  // no keyframes: the shot's prompt throughout
  auto text = serialize_project(*p);
  ASSERT_TRUE(text);
  auto back = parse_project(*text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *p);
}

struct SchemaCase {
  const char* name;
  std::function<void(json&)> edit;
  const char* expected;  // a substring of the error
};

TEST(ProjectFormat, SchemaErrorsNameTheJsonPath) {
  const SchemaCase cases[] = {
      {"zero steps", [](json& d) { d["shots"][1]["steps"] = 0; },
       "shots[1].steps: must be an integer from 1 to 1000, got 0"},
      {"fractional steps", [](json& d) { d["shots"][0]["steps"] = 2.5; }, "shots[0].steps: must be an integer"},
      {"negative seed", [](json& d) { d["shots"][0]["seed"] = -1; }, "shots[0].seed: must be an integer from 0"},
      {"numeric prompt", [](json& d) { d["shots"][2]["prompt"] = 5; }, "shots[2].prompt: must be a string, got 5"},
      {"missing width", [](json& d) { d["shots"][0].erase("width"); }, "shots[0].width: is required"},
      {"huge height", [](json& d) { d["shots"][0]["height"] = 100000; }, "shots[0].height: must be an integer"},
      {"duplicate id", [](json& d) { d["shots"][2]["id"] = "a"; }, "shots[2].id: \"a\" is used by shots[0] too"},
      {"id with a slash", [](json& d) { d["shots"][0]["id"] = "../x"; }, "shots[0].id: \"../x\" must be 1 to 64"},
      {"unknown type", [](json& d) { d["shots"][0]["type"] = "audio"; },
       "shots[0].type: must be one of image, video, got \"audio\""},
      {"unknown model", [](json& d) { d["shots"][0]["model"] = "nope"; },
       "shots[0].model: unknown model \"nope\" (models: m)"},
      {"typo in a key", [](json& d) { d["shots"][0]["stesp"] = 3; }, "shots[0].stesp: unknown key"},
      {"frames on an image", [](json& d) { d["shots"][0]["frames"] = 10; },
       "shots[0].frames: is only for video shots"},
      {"keyframes on an image", [](json& d) { d["shots"][0]["keyframes"] = json::array(); },
       "shots[0].keyframes: is only for video shots"},
      {"keyframe at frame 0", [](json& d) { d["shots"][1]["keyframes"] = {{{"frame", 0}, {"prompt", "x"}}}; },
       "shots[1].keyframes[0].frame: must be an integer from 1 to 15, got 0"},
      {"keyframe past the end", [](json& d) { d["shots"][1]["keyframes"] = {{{"frame", 16}, {"prompt", "x"}}}; },
       "shots[1].keyframes[0].frame: must be an integer from 1 to 15, got 16"},
      {"keyframes out of order",
       [](json& d) { d["shots"][1]["keyframes"] = {{{"frame", 9}, {"prompt", "x"}}, {{"frame", 3}, {"prompt", "y"}}}; },
       "shots[1].keyframes[1].frame: must be after keyframes[0]'s frame 9"},
      {"two keyframes on one frame",
       [](json& d) { d["shots"][1]["keyframes"] = {{{"frame", 5}, {"prompt", "x"}}, {{"frame", 5}, {"prompt", "y"}}}; },
       "shots[1].keyframes[1].frame: must be after keyframes[0]'s frame 5"},
      {"keyframe without prompt", [](json& d) { d["shots"][1]["keyframes"] = {{{"frame", 5}}}; },
       "shots[1].keyframes[0].prompt: is required"},
      {"keyframe with an unknown key",
       [](json& d) { d["shots"][1]["keyframes"] = {{{"frame", 5}, {"prompt", "x"}, {"time", 1}}}; },
       "shots[1].keyframes[0].time: unknown key"},
      {"keyframe in a one-frame shot",
       [](json& d) {
         d["shots"][1]["frames"] = 1;
         d["shots"][1]["keyframes"] = {{{"frame", 1}, {"prompt", "x"}}};
       },
       "shots[1].keyframes: a shot of 1 frame has no frame after 0"},
      {"keyframes not an array", [](json& d) { d["shots"][1]["keyframes"] = "x"; },
       "shots[1].keyframes: must be an array"},
      {"video without fps", [](json& d) { d["shots"][1].erase("fps"); }, "shots[1].fps: is required"},
      {"zero fps", [](json& d) { d["shots"][1]["fps"] = 0; }, "shots[1].fps: must be a number greater than 0"},
      {"unknown sampler", [](json& d) { d["shots"][0]["sampler"] = "ddim"; }, "shots[0].sampler: must be one of"},
      {"unknown schedule", [](json& d) { d["shots"][0]["schedule"] = "karras"; }, "shots[0].schedule: must be one of"},
      {"guidance out of range", [](json& d) { d["shots"][0]["guidance"] = -1; }, "shots[0].guidance: must be a number"},
      {"negative prompt without CFG", [](json& d) { d["shots"][0]["negative_prompt"] = "blur"; },
       "shots[0].negative_prompt: is only used with true CFG"},
      {"bad LoRA strength", [](json& d) { d["shots"][0]["loras"] = {{{"path", "x.safetensors"}, {"strength", "hi"}}}; },
       "shots[0].loras[0].strength: must be a number"},
      {"LoRA without path", [](json& d) { d["shots"][0]["loras"] = {{{"strength", 1}}}; },
       "shots[0].loras[0].path: is required"},
      {"zero duration", [](json& d) { d["shots"][2]["timeline"] = {{"duration", 0}}; },
       "shots[2].timeline.duration: must be a number greater than 0"},
      {"bad content hash", [](json& d) { d["models"][0]["content_hash"] = "md5:abc"; }, "models[0].content_hash"},
      {"duplicate model", [](json& d) { d["models"].push_back(d["models"][0]); },
       "models[1].id: \"m\" is used by models[0] too"},
      {"empty folder", [](json& d) { d["models"][0]["folder"] = ""; }, "models[0].folder: must not be empty"},
      {"unknown image format", [](json& d) { d["output"] = {{"image_format", "bmp"}}; },
       "output.image_format: must be one of png, exr, tif, safetensors"},
      {"shots not an array", [](json& d) { d["shots"] = json::object(); }, "shots: must be an array, got an object"},
      {"shot not an object", [](json& d) { d["shots"][1] = 3; }, "shots[1]: must be an object, got 3"},
      {"missing models", [](json& d) { d.erase("models"); }, "models: is required"},
      {"unknown top-level key", [](json& d) { d["shot"] = json::array(); }, "shot: unknown key"},
  };
  for (const SchemaCase& c : cases) {
    json doc = test::minimal_document();
    ASSERT_TRUE(parse_project(doc.dump())) << c.name << ": the base document must be valid";
    c.edit(doc);
    auto p = parse_project(doc.dump());
    ASSERT_FALSE(p) << c.name;
    EXPECT_EQ(p.error().code(), ErrorCode::kFormat) << c.name;
    EXPECT_NE(p.error().to_string().find(c.expected), std::string::npos)
        << c.name << ": expected \"" << c.expected << "\" in: " << p.error().to_string();
  }
}

TEST(ProjectFormat, EveryProblemIsReportedAtOnce) {
  json doc = test::minimal_document();
  doc["shots"][0]["steps"] = 0;
  doc["shots"][2]["width"] = "wide";
  auto p = parse_project(doc.dump());
  ASSERT_FALSE(p);
  const std::string m = p.error().to_string();
  EXPECT_NE(m.find("2 problems"), std::string::npos) << m;
  EXPECT_NE(m.find("shots[0].steps"), std::string::npos) << m;
  EXPECT_NE(m.find("shots[2].width"), std::string::npos) << m;
}

TEST(ProjectFormat, NotAProjectIsAClearError) {
  const std::pair<std::string, std::string> cases[] = {
      {"{\"format\": \"dcstudio-project\", ", "not valid JSON"},
      {"[1, 2]", "not a DC Studio project"},
      {R"({"format": "something-else", "version": 1})", "not a DC Studio project"},
      {R"({"version": 1, "models": [], "shots": []})", "not a DC Studio project"},
      {R"({"format": "dcstudio-project", "version": "1"})", "version: must be a non-negative integer"},
      {R"({"format": "dcstudio-project", "version": -1})", "version: must be a non-negative integer"},
  };
  for (const auto& [text, expected] : cases) {
    auto p = parse_project(text);
    ASSERT_FALSE(p) << text;
    EXPECT_EQ(p.error().code(), ErrorCode::kFormat) << text;
    EXPECT_NE(p.error().to_string().find(expected), std::string::npos) << text << " -> " << p.error().to_string();
  }
}

// A newer or malformed file is reported and left exactly as it was.
TEST(ProjectFormat, FailedLoadsLeaveTheFileUntouched) {
  test::TempDir tmp;
  json newer = test::minimal_document();
  newer["version"] = kProjectVersion + 1;
  newer["shots"][0]["new_key_of_version_2"] = true;
  const std::pair<std::string, std::string> files[] = {
      {newer.dump(2), "made by a newer DC Studio: project version 2, this build reads versions up to 1"},
      {"{ \"format\": \"dcstudio-project\", \"version\": 1, \"shots\": [ ", "invalid JSON"},
  };
  for (const auto& [text, expected] : files) {
    const fs::path path = tmp / "film.dcproj";
    test::write_file(path, text);
    const auto time = fs::last_write_time(path) - std::chrono::hours(1);
    fs::last_write_time(path, time);
    auto p = load_project(path);
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().to_string().find(expected), std::string::npos) << p.error().to_string();
    EXPECT_EQ(p.error().to_string().rfind(path.string(), 0), 0u) << "the message starts with the file";
    EXPECT_EQ(test::read_file(path), text);
    EXPECT_EQ(fs::last_write_time(path), time);
    EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
  }
  auto newer_error = parse_project(newer.dump());
  ASSERT_FALSE(newer_error);
  EXPECT_EQ(newer_error.error().code(), ErrorCode::kNotSupported);
}

TEST(ProjectFormat, InvalidProjectsAreNotSaved) {
  test::TempDir tmp;
  const fs::path path = tmp / "film.dcproj";
  ASSERT_TRUE(save_project_atomic(test::sample_project(), path));
  const std::string good = test::read_file(path);
  Project dup = test::sample_project();
  dup.shots[1].id = dup.shots[0].id;
  Project bad_utf8 = test::sample_project();
  bad_utf8.shots[0].prompt = "caf\xC3";
  Project zero_steps = test::sample_project();
  zero_steps.shots[2].steps = 0;
  for (const Project& p : {dup, bad_utf8, zero_steps}) {
    const Status s = save_project_atomic(p, path);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument) << s.error().to_string();
    EXPECT_EQ(test::read_file(path), good);
  }
  EXPECT_NE(save_project_atomic(dup, path).error().to_string().find("shots[1].id"), std::string::npos);
}

TEST(ProjectFormat, RelativePathsResolveAgainstTheProjectFolder) {
  EXPECT_EQ(resolve_project_path("/films/harbour/film.dcproj", "../models/m"), fs::path("/films/models/m"));
  EXPECT_EQ(resolve_project_path("/films/harbour/film.dcproj", "/abs/m"), fs::path("/abs/m"));
  EXPECT_EQ(resolve_project_path("/films/film.dcproj", "renders"), fs::path("/films/renders"));
}

TEST(ProjectFormat, TheExampleProjectLoadsAndItsModelExists) {
  const fs::path example = fs::path(DC_SOURCE_DIR) / "resources" / "projects" / "example.dcproj";
  auto p = load_project(example);
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_FALSE(p->shots.empty());
  for (const ModelRef& m : p->models) {
    EXPECT_FALSE(fs::path(m.folder).is_absolute()) << "the example points at its model by a relative path";
    EXPECT_TRUE(fs::exists(resolve_project_path(example, m.folder) / "model_index.json")) << m.folder;
  }
}

}  // namespace
}  // namespace dc::project
