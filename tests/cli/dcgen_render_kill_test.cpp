// `dcgen render` interrupted: SIGKILL mid-shot and at random moments (resume
// finishes the project without redoing finished shots, no torn or stray files,
// the same bytes as an uninterrupted render), and Ctrl-C (exit 130, finished shots kept).
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sys/stat.h>

#include "tests/cli/dcgen_runner.h"
#include "tests/cli/render_project_util.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using namespace test::render;
using test::dcgen;
using test::q;

ino_t inode_of(const fs::path& p) {
  struct stat st {};
  stat(p.c_str(), &st);
  return st.st_ino;
}

// After any interruption: every final image is whole and every record's output is there.
void expect_no_torn_outputs(const fs::path& out) {
  if (!fs::exists(out)) return;  // killed before it made the folder
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".png") && !name.starts_with(".")) {
      EXPECT_TRUE(is_whole_png(e.path())) << name << " is torn";
    }
    if (name.ends_with(".done.json")) {
      const json record = json::parse(slurp(e.path()));
      EXPECT_TRUE(fs::exists(out / record["output"].get<std::string>())) << name;
      EXPECT_EQ(record["bytes"], fs::file_size(out / record["output"].get<std::string>())) << name;
    }
  }
}

size_t count_records(const fs::path& out) {
  size_t n = 0;
  if (!fs::exists(out)) return 0;
  for (const auto& e : fs::directory_iterator(out)) n += e.path().filename().string().ends_with(".done.json");
  return n;
}

// True once the log shows shot `id` started and its denoising under way.
std::function<bool(const std::string&)> denoising(const std::string& id) {
  return [id](const std::string& log) {
    const auto at = log.find("shot \"" + id + "\" (");
    return at != std::string::npos && log.find("denoise", at) != std::string::npos;
  };
}

TEST(DcgenRenderKill, KilledMidShotResumesWithoutRedoingFinishedShots) {
  test::TempDir tmp;
  json shots = numbered_shots(6);
  shots[3]["steps"] = 60;  // the shot the kill lands in
  const fs::path project = write_project(tmp.path(), shots);
  ASSERT_EQ(dcgen(render(project, "--out " + q(tmp / "reference"))).exit_code, 0);

  const fs::path out = tmp / "out";
  {
    RenderProcess p(render(project, "--out " + q(out)), tmp / "log1.txt");
    ASSERT_TRUE(p.wait_for(denoising("s3"))) << p.log();
    const int status = p.stop(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status)) << p.log();
  }
  expect_no_torn_outputs(out);
  EXPECT_EQ(count_records(out), 3u);
  EXPECT_FALSE(fs::exists(out / "s3.png"));
  std::map<std::string, ino_t> finished;
  for (const char* name : {"s0.png", "s1.png", "s2.png"}) finished[name] = inode_of(out / name);

  const test::CliRun plan = dcgen(render(project, "--out " + q(out) + " --resume --dry-run"));
  EXPECT_EQ(lines(plan.output), (std::vector<std::string>{"s3", "s4", "s5"})) << plan.output;
  const test::CliRun resumed = dcgen(render(project, "--out " + q(out) + " --resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("3 already finished, 3 to render"), std::string::npos) << resumed.output;
  for (const auto& [name, inode] : finished) EXPECT_EQ(inode_of(out / name), inode) << name << " was redone";
  for (int i = 0; i < 6; ++i) {
    const std::string name = "s" + std::to_string(i) + ".png";
    EXPECT_EQ(slurp(out / name), slurp(tmp / "reference" / name)) << name;
  }
  EXPECT_TRUE(hidden_files(out).empty());
}

TEST(DcgenRenderKill, RepeatedKillsAtRandomMomentsNeverLeaveTornFiles) {
  test::TempDir tmp;
  constexpr int kShots = 10;
  const fs::path project = write_project(tmp.path(), numbered_shots(kShots, 1));
  ASSERT_EQ(dcgen(render(project, "--out " + q(tmp / "reference"))).exit_code, 0);
  const fs::path out = tmp / "out";
  std::mt19937 rng(static_cast<uint32_t>(test::fresh_seed()));
  int kills = 0, kills_between_shots = 0;
  bool finished = false;
  for (int attempt = 0; attempt < 12 && !finished; ++attempt) {
    RenderProcess p(render(project, "--out " + q(out) + " --resume"), tmp / "log.txt");
    const size_t before = count_records(out);
    if (attempt % 2 == 0) {
      // Once a shot of this run has finished, within the next ~2 shots: between shots, in one, in a write.
      p.wait_for([&](const std::string&) { return count_records(out) > before; });
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 120));
    } else {
      // Anywhere from inside the model load (~0.5 s) to a few shots in.
      std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 900));
    }
    const int status = p.stop(SIGKILL);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << p.log();
      finished = true;
      break;
    }
    ++kills;
    const size_t after = count_records(out);
    kills_between_shots += after > before && after < kShots;
    expect_no_torn_outputs(out);
  }
  if (!finished) ASSERT_EQ(dcgen(render(project, "--out " + q(out) + " --resume")).exit_code, 0);
  std::printf("%d kills, %d of them after some shots of the run had finished\n", kills, kills_between_shots);
  EXPECT_GE(kills_between_shots, 1) << "no kill landed between shots: the test did not test resume";
  EXPECT_EQ(count_records(out), static_cast<size_t>(kShots));
  for (int i = 0; i < kShots; ++i) {
    const std::string name = "s" + std::to_string(i) + ".png";
    EXPECT_EQ(slurp(out / name), slurp(tmp / "reference" / name)) << name;
  }
  EXPECT_TRUE(hidden_files(out).empty()) << hidden_files(out).front();
}

TEST(DcgenRenderKill, CtrlCKeepsFinishedShotsAndExits130) {
  test::TempDir tmp;
  json shots = numbered_shots(4);
  shots[2]["steps"] = 400;
  const fs::path project = write_project(tmp.path(), shots);
  const fs::path out = tmp / "renders";
  RenderProcess p(render(project), tmp / "log.txt");
  ASSERT_TRUE(p.wait_for(denoising("s2"))) << p.log();
  const int status = p.stop(SIGINT);
  ASSERT_TRUE(WIFEXITED(status)) << p.log();
  EXPECT_EQ(WEXITSTATUS(status), 130) << p.log();
  EXPECT_NE(p.log().find("cancelled; finished shots are kept"), std::string::npos) << p.log();
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(out)) files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"s0.png", "s0.done.json", "s1.png", "s1.done.json"}));
  const test::CliRun plan = dcgen(render(project, "--resume --dry-run"));
  EXPECT_EQ(lines(plan.output), (std::vector<std::string>{"s2", "s3"})) << plan.output;
}

}  // namespace
}  // namespace dc
