// `dcgen render` on projects of the tiny DC-Gen-FLUX pipeline (tests/data/flux_pipeline):
// outputs and records, determinism, resume (after edits, torn files, SIGKILL), shards, Ctrl-C.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "tests/cli/dcgen_runner.h"
#include "tests/cli/render_project_util.h"
#include "tests/common/test_util.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dc {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace test::render;
using test::dcgen;
using test::q;

TEST(DcgenRender, RendersEveryShotReportsVideoShotsAndWritesRecords) {
  test::TempDir tmp;
  json shots = numbered_shots(3);
  shots.push_back({{"id", "clip"}, {"type", "video"}, {"model", "tiny"}, {"prompt", "waves"}, {"seed", 1},
                   {"width", 32}, {"height", 32}, {"frames", 9}, {"fps", 8}});
  shots.push_back(image_shot("last", 9));
  const fs::path project = write_project(tmp.path(), shots);
  const test::CliRun r = dcgen(render(project));
  EXPECT_EQ(r.exit_code, 1) << r.output;  // one shot failed, the others rendered
  EXPECT_NE(r.output.find("video shots need the DC-VideoGen pipeline (not implemented yet)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("4 rendered, 0 skipped as finished, 1 failed"), std::string::npos) << r.output;
  const fs::path out = tmp / "renders";  // the default: output.folder beside the project
  for (const char* id : {"s0", "s1", "s2", "last"}) {
    EXPECT_TRUE(fs::exists(out / (std::string(id) + ".png"))) << id;
    const json record = json::parse(slurp(out / (std::string(id) + ".done.json")));
    EXPECT_EQ(record["shot"], id);
    EXPECT_EQ(record["bytes"], fs::file_size(out / (std::string(id) + ".png")));
  }
  EXPECT_FALSE(fs::exists(out / "clip.png"));
  EXPECT_FALSE(fs::exists(out / "clip.done.json"));
  EXPECT_TRUE(hidden_files(out).empty());
#ifdef DC_HAVE_OIIO
  auto meta = read_image_metadata(out / "s1.png");
  ASSERT_TRUE(meta) << meta.error().to_string();
  EXPECT_EQ(meta->at("parameters").rfind("shot s1, a red cube\n", 0), 0u) << meta->at("parameters");
  EXPECT_NE(meta->at("parameters").find("Seed: 101, Size: 32x32"), std::string::npos) << meta->at("parameters");
  const json params = json::parse(meta->at("dcstudio"));
  EXPECT_EQ(params["shot"], "s1");
  EXPECT_EQ(params["project"], "render test");
  EXPECT_EQ(params["seed"], 101);
  auto image = read_image(out / "s1.png");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->shape(), (Shape{1, 3, 32, 32}));
  test::expect_non_constant(*image);
#endif
}

TEST(DcgenRender, SameProjectAndSeedGiveIdenticalBytes) {
  test::TempDir tmp;
  json shots = numbered_shots(3);
  shots[1]["negative_prompt"] = "blurry";
  shots[1]["true_cfg_scale"] = 3.0;
  for (const std::string format : {"png", "safetensors"}) {
    const fs::path project = write_project(tmp / format, shots, format);
    ASSERT_EQ(dcgen(render(project, "--out " + q(tmp / format / "a"))).exit_code, 0);
    ASSERT_EQ(dcgen(render(project, "--out " + q(tmp / format / "b"))).exit_code, 0);
    std::set<std::string> contents;
    for (int i = 0; i < 3; ++i) {
      const std::string name = "s" + std::to_string(i) + "." + format;
      const std::string a = slurp(tmp / format / "a" / name);
      ASSERT_FALSE(a.empty()) << name;
      EXPECT_EQ(a, slurp(tmp / format / "b" / name)) << name;
      contents.insert(a);
    }
    EXPECT_EQ(contents.size(), 3u) << "different seeds and prompts give different images";
  }
}

TEST(DcgenRender, ResumeRedoesOnlyEditedTornAndMissingShots) {
  test::TempDir tmp;
  json shots = numbered_shots(5);
  fs::path project = write_project(tmp.path(), shots);
  const fs::path out = tmp / "renders";
  ASSERT_EQ(dcgen(render(project)).exit_code, 0);
  std::map<std::string, std::string> original;
  std::map<std::string, ino_t> inode;
  for (int i = 0; i < 5; ++i) {
    const std::string name = "s" + std::to_string(i) + ".png";
    original[name] = slurp(out / name);
    struct stat st {};
    stat((out / name).c_str(), &st);
    inode[name] = st.st_ino;
  }
  fs::resize_file(out / "s1.png", fs::file_size(out / "s1.png") / 2);  // torn
  fs::remove(out / "s2.png");                                           // missing
  shots[3]["prompt"] = "an edited prompt";                               // changed
  shots[4]["timeline"] = {{"start", 60}};                                // moved only: not re-rendered
  project = write_project(tmp.path(), shots);
  const test::CliRun dry = dcgen(render(project, "--resume --dry-run"));
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_EQ(lines(dry.output), (std::vector<std::string>{"s1", "s2", "s3"})) << dry.output;
  const test::CliRun r = dcgen(render(project, "--resume"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("shot \"s1\" is rendered again: its output s1.png has a different size"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("shot \"s2\" is rendered again: its output s2.png is missing"), std::string::npos);
  EXPECT_NE(r.output.find("shot \"s3\" is rendered again: the shot changed"), std::string::npos);
  EXPECT_NE(r.output.find("3 rendered, 2 skipped as finished"), std::string::npos) << r.output;
  for (const char* name : {"s0.png", "s1.png", "s2.png", "s4.png"}) EXPECT_EQ(slurp(out / name), original[name]) << name;
  EXPECT_NE(slurp(out / "s3.png"), original["s3.png"]);
  for (const char* name : {"s0.png", "s4.png"}) {  // finished files were not rewritten
    struct stat st {};
    stat((out / name).c_str(), &st);
    EXPECT_EQ(st.st_ino, inode[name]) << name;
  }
  const test::CliRun again = dcgen(render(project, "--resume"));
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.output.find("5 already finished, 0 to render"), std::string::npos) << again.output;
}

TEST(DcgenRender, ShardsSplitTheShotsExactlyAndDeterministically) {
  test::TempDir tmp;
  const fs::path project = write_project(tmp.path(), numbered_shots(7));
  std::multiset<std::string> all;
  for (int i = 1; i <= 3; ++i) {
    const test::CliRun r = dcgen(render(project, "--dry-run --shard " + std::to_string(i) + "/3"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> expected;
    for (int k = i - 1; k < 7; k += 3) expected.push_back("s" + std::to_string(k));  // shot k -> shard (k mod N) + 1
    EXPECT_EQ(lines(r.output), expected) << "shard " << i;
    for (const std::string& id : lines(r.output)) all.insert(id);
  }
  EXPECT_EQ(all.size(), 7u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 7u);
  // A real shard writes its shots only; --shots narrows within it.
  const test::CliRun r = dcgen(render(project, "--shard 2/3 --shots s1,s4,s2 --out " + q(tmp / "o")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::set<std::string> written;
  for (const auto& e : fs::directory_iterator(tmp / "o")) written.insert(e.path().filename().string());
  EXPECT_EQ(written, (std::set<std::string>{"s1.png", "s1.done.json", "s4.png", "s4.done.json"}));
  EXPECT_EQ(dcgen(render(project, "--shard 4/3")).exit_code, 2);
  EXPECT_EQ(dcgen(render(project, "--shard 0/3")).exit_code, 2);
  const test::CliRun unknown = dcgen(render(project, "--shots s1,nope"));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("no shot \"nope\""), std::string::npos) << unknown.output;
}

TEST(DcgenRender, UnusableProjectsExitWithCode2AndRenderNothing) {
  test::TempDir tmp;
  json shots = numbered_shots(2);
  shots[1]["steps"] = 0;
  const fs::path bad = write_project(tmp / "bad", shots);
  const test::CliRun r = dcgen(render(bad));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("shots[1].steps: must be an integer from 1 to 1000, got 0"), std::string::npos) << r.output;

  const fs::path newer = tmp / "newer.dcproj";
  std::ofstream(newer) << R"({"format": "dcstudio-project", "version": 7, "models": [], "shots": []})";
  const std::string before = slurp(newer);
  const test::CliRun n = dcgen(render(newer));
  EXPECT_EQ(n.exit_code, 2);
  EXPECT_NE(n.output.find("made by a newer DC Studio"), std::string::npos) << n.output;
  EXPECT_EQ(slurp(newer), before);

  const fs::path project = write_project(tmp / "ok", numbered_shots(1));
  fs::remove(tmp / "ok" / "models" / "tiny");
  const test::CliRun missing = dcgen(render(project));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("model \"tiny\": no folder"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(tmp / "bad" / "renders"));
  EXPECT_FALSE(fs::exists(tmp / "ok" / "renders"));
}

TEST(DcgenRender, AChangedModelFolderWarnsOrFails) {
  test::TempDir tmp;
  const fs::path stale = write_project(tmp.path(), numbered_shots(1), "png", "fnv1a64:0000000000000000");
  const test::CliRun fail = dcgen(render(stale, "--model-check fail"));
  EXPECT_EQ(fail.exit_code, 2);
  EXPECT_NE(fail.output.find("changed since the project was made"), std::string::npos) << fail.output;
  EXPECT_FALSE(fs::exists(tmp / "renders" / "s0.png"));
  const test::CliRun warn = dcgen(render(stale));
  EXPECT_EQ(warn.exit_code, 0) << warn.output;
  EXPECT_NE(warn.output.find("warning: model \"tiny\""), std::string::npos) << warn.output;
  // The hash dcgen reports for the folder is the one that makes the check pass.
  const std::string marker = "its folder's is ";
  const test::CliRun first = dcgen(render(write_project(tmp / "fresh", numbered_shots(1))));
  const auto at = first.output.find(marker);
  ASSERT_NE(at, std::string::npos) << first.output;
  const std::string hash = first.output.substr(at + marker.size(), 24);
  const fs::path good = write_project(tmp / "good", numbered_shots(1), "png", hash);
  const test::CliRun pass = dcgen(render(good, "--model-check fail"));
  EXPECT_EQ(pass.exit_code, 0) << pass.output;
  EXPECT_EQ(pass.output.find("warning"), std::string::npos) << pass.output;
}

}  // namespace
}  // namespace dc
