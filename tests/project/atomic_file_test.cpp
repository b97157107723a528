// Atomic writes: readers and crashes see the old file or the new one, never half.
#include <gtest/gtest.h>

#include <csignal>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "core/project/atomic_file.h"
#include "core/project/project_file.h"
#include "tests/common/test_util.h"
#include "tests/project/sample_project.h"

namespace dc::project {
namespace {

namespace fs = std::filesystem;

size_t entries(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicFile, WritesAndReplacesLeavingNoTemporary) {
  test::TempDir tmp;
  const fs::path path = tmp / "a.json";
  ASSERT_TRUE(write_file_atomic(path, "first"));
  EXPECT_EQ(test::read_file(path), "first");
  ASSERT_TRUE(write_file_atomic(path, "second, longer"));
  EXPECT_EQ(test::read_file(path), "second, longer");
  ASSERT_TRUE(write_file_atomic(path, ""));
  EXPECT_EQ(test::read_file(path), "");
  EXPECT_EQ(entries(tmp.path()), 1u);
}

TEST(AtomicFile, AFailedWriteNamesThePathAndCreatesNothing) {
  test::TempDir tmp;
  const Status s = write_file_atomic(tmp / "missing" / "a.json", "x");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kIo);
  EXPECT_NE(s.error().to_string().find("missing"), std::string::npos) << s.error().to_string();
  EXPECT_EQ(entries(tmp.path()), 0u);
}

TEST(AtomicFile, CommitMovesAWrittenTemporaryIntoPlace) {
  test::TempDir tmp;
  const fs::path dest = tmp / "intro.png";
  const fs::path temp = atomic_temp_path(dest);
  EXPECT_EQ(temp.parent_path(), tmp.path());
  EXPECT_EQ(temp.extension(), ".png");  // image writers choose the format by extension
  EXPECT_TRUE(temp.filename().string().starts_with(".intro.png.tmp-"));
  EXPECT_NE(atomic_temp_path(dest), temp);  // unique per call
  test::write_file(temp, "pixels");
  ASSERT_TRUE(commit_atomic(temp, dest));
  EXPECT_EQ(test::read_file(dest), "pixels");
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(commit_atomic(tmp / ".gone.tmp-1-1.png", dest));
  EXPECT_EQ(test::read_file(dest), "pixels");
}

TEST(AtomicFile, RecognisesTemporariesOfOneDestinationOnly) {
  EXPECT_TRUE(is_atomic_temp_of(".a.png.tmp-12-0.png", "a.png"));
  EXPECT_TRUE(is_atomic_temp_of(".a.png.tmp-12-0.partial-12.png", "a.png"));  // OIIO's own, derived from ours
  EXPECT_TRUE(is_atomic_temp_of("..a.safetensors.tmp-1-0.safetensors.tmp-1-1", "a.safetensors"));
  EXPECT_FALSE(is_atomic_temp_of("a.png", "a.png"));
  EXPECT_FALSE(is_atomic_temp_of(".ab.png.tmp-1-0.png", "a.png"));
  EXPECT_FALSE(is_atomic_temp_of(".a.png.done", "a.png"));
  EXPECT_FALSE(is_atomic_temp_of(".b.png.tmp-1-0.png", "a.png"));
}

// A child saves two different projects in turn as fast as it can; it is killed
// at random moments. Every time, the file must load and be one of the two.
TEST(AtomicFile, AProjectSaveKilledAtAnyMomentLeavesAWholeFile) {
  test::TempDir tmp;
  const fs::path path = tmp / "film.dcproj";
  Project a = test::sample_project(), b = test::sample_project();
  for (int i = 0; i < 400; ++i) {  // ~200 KB files: a write takes long enough to be interrupted
    Shot s = a.shots[0];
    s.id = "s" + std::to_string(i);
    s.prompt = std::string(200, static_cast<char>('a' + i % 26));
    a.shots.push_back(s);
    s.prompt = "b";
    b.shots.push_back(s);
  }
  ASSERT_TRUE(save_project_atomic(a, path));
  std::mt19937 rng(static_cast<uint32_t>(test::fresh_seed()));
  int interrupted_writes = 0;
  for (int round = 0; round < 12; ++round) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (uint64_t i = 0;; ++i) (void)save_project_atomic(i % 2 ? a : b, path);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 30000));
    kill(pid, SIGKILL);
    ASSERT_EQ(waitpid(pid, nullptr, 0), pid);
    auto p = load_project(path);
    ASSERT_TRUE(p) << "round " << round << ": " << p.error().to_string();
    EXPECT_TRUE(*p == a || *p == b) << "round " << round;
    for (const auto& e : fs::directory_iterator(tmp.path())) {
      if (is_atomic_temp_of(e.path().filename().string(), "film.dcproj")) {
        ++interrupted_writes;
        fs::remove(e.path());
      }
    }
  }
  std::printf("kills that landed mid-write (temporary left): %d of 12\n", interrupted_writes);
}

}  // namespace
}  // namespace dc::project
