// Autosave and crash recovery.
#include <gtest/gtest.h>

#include "core/project/autosave.h"
#include "core/project/project_file.h"
#include "tests/common/test_util.h"
#include "tests/project/sample_project.h"

namespace dc::project {
namespace {

namespace fs = std::filesystem;

// Sets a file's time `seconds` from now, so "newer" does not depend on timer resolution.
void set_age(const fs::path& path, int seconds) {
  fs::last_write_time(path, fs::file_time_type::clock::now() + std::chrono::seconds(seconds));
}

TEST(Autosave, WritesOnlyWhenDirtyAndASaveRemovesIt) {
  test::TempDir tmp;
  const fs::path project_file = tmp / "film.dcproj";
  Project p = test::sample_project();
  ASSERT_TRUE(save_project_atomic(p, project_file));
  Autosave autosave(project_file);
  EXPECT_EQ(autosave.path(), tmp / "film.dcproj.autosave");
  ASSERT_TRUE(autosave.write_if_dirty(p));
  EXPECT_FALSE(fs::exists(autosave.path()));  // nothing changed yet
  p.shots[0].prompt = "edited";
  autosave.mark_dirty();
  ASSERT_TRUE(autosave.write_if_dirty(p));
  EXPECT_FALSE(autosave.dirty());
  auto saved = load_project(autosave.path());
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->shots[0].prompt, "edited");
  ASSERT_TRUE(save_project_atomic(p, project_file));
  ASSERT_TRUE(autosave.saved());
  EXPECT_FALSE(fs::exists(autosave.path()));
  ASSERT_TRUE(autosave.saved());  // already gone: fine
}

TEST(Autosave, RecoverOffersAnAutosaveNewerThanTheProject) {
  test::TempDir tmp;
  const fs::path project_file = tmp / "film.dcproj";
  Project p = test::sample_project();
  ASSERT_TRUE(save_project_atomic(p, project_file));
  auto none = recover(project_file);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());  // no autosave

  Project edited = p;
  edited.shots[1].seed = 99;
  Autosave autosave(project_file);
  ASSERT_TRUE(autosave.write(edited));
  set_age(project_file, -60);  // the session "crashed" a minute after the last save
  auto found = recover(project_file);
  ASSERT_TRUE(found) << found.error().to_string();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->project, edited);
  EXPECT_EQ((*found)->autosave, autosave.path());

  set_age(project_file, 60);  // saved after the autosave: nothing to recover
  auto stale = recover(project_file);
  ASSERT_TRUE(stale);
  EXPECT_FALSE(stale->has_value());

  ASSERT_TRUE(discard_autosave(project_file));
  EXPECT_FALSE(fs::exists(autosave.path()));
}

TEST(Autosave, ANeverSavedProjectIsRecoveredToo) {
  test::TempDir tmp;
  const fs::path project_file = tmp / "untitled.dcproj";
  ASSERT_TRUE(Autosave(project_file).write(test::sample_project()));
  auto found = recover(project_file);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->project, test::sample_project());
}

TEST(Autosave, AnUnreadableAutosaveIsAnErrorNamingIt) {
  test::TempDir tmp;
  const fs::path project_file = tmp / "film.dcproj";
  ASSERT_TRUE(save_project_atomic(test::sample_project(), project_file));
  test::write_file(autosave_path(project_file), "{ \"format\": ");
  set_age(project_file, -60);
  auto found = recover(project_file);
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().to_string().find("film.dcproj.autosave"), std::string::npos) << found.error().to_string();
}

}  // namespace
}  // namespace dc::project
