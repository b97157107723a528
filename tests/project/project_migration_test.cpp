// The migration hook: a fake "version 0" layout brought to version 1 by a test
// table, as a real v1 -> v2 step will be when the format changes.
#include <gtest/gtest.h>

#include "core/project/project_file.h"
#include "tests/common/test_util.h"
#include "tests/project/sample_project.h"

namespace dc::project {
namespace {

using nlohmann::json;

// Version 0 (invented for the test): "scenes" with "text" and "size": [w, h], always images.
const char* kVersion0 = R"({
  "format": "dcstudio-project", "version": 0, "name": "old",
  "models": [{"id": "m", "folder": "model"}],
  "scenes": [{"id": "a", "model": "m", "text": "a cat", "seed": 4, "size": [64, 32]},
             {"id": "b", "model": "m", "text": "a dog", "seed": 5, "size": [32, 32]}]})";

Status upgrade_0_to_1(json& doc) {
  if (!doc.contains("scenes")) return Error::format("version 0 projects have \"scenes\"");
  json shots = json::array();
  for (const json& scene : doc["scenes"]) {
    shots.push_back({{"id", scene["id"]}, {"type", "image"}, {"model", scene["model"]}, {"prompt", scene["text"]},
                     {"seed", scene["seed"]}, {"width", scene["size"][0]}, {"height", scene["size"][1]}});
  }
  doc.erase("scenes");
  doc["shots"] = std::move(shots);
  return ok_status();
}

TEST(ProjectMigration, OldVersionsGoThroughTheTable) {
  const ProjectMigrations table = {{0, upgrade_0_to_1}};
  auto p = parse_project(kVersion0, table);
  ASSERT_TRUE(p) << p.error().to_string();
  ASSERT_EQ(p->shots.size(), 2u);
  EXPECT_EQ(p->shots[0].prompt, "a cat");
  EXPECT_EQ(p->shots[0].width, 64);
  EXPECT_EQ(p->shots[0].height, 32);
  EXPECT_EQ(p->shots[1].seed, 5u);
  // Saved, it is a version-1 file that loads without the table.
  auto text = serialize_project(*p);
  ASSERT_TRUE(text);
  EXPECT_EQ(json::parse(*text)["version"], kProjectVersion);
  auto again = parse_project(*text);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *p);
}

TEST(ProjectMigration, LoadingAnOldFileDoesNotRewriteIt) {
  test::TempDir tmp;
  const auto path = tmp / "old.dcproj";
  test::write_file(path, kVersion0);
  auto p = load_project(path, {{0, upgrade_0_to_1}});
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(test::read_file(path), kVersion0);
}

TEST(ProjectMigration, AMissingStepIsAClearError) {
  // This build's own table has no step from 0: version 1 is the first format.
  EXPECT_TRUE(project_migrations().empty());
  auto p = parse_project(kVersion0);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code(), ErrorCode::kFormat);
  EXPECT_NE(p.error().to_string().find("project version 0 is not supported: no upgrade from version 0 to 1"),
            std::string::npos)
      << p.error().to_string();
}

TEST(ProjectMigration, AFailingStepNamesTheVersions) {
  const ProjectMigrations table = {{0, [](json&) { return Status(Error::format("scene 3 has no size")); }}};
  auto p = parse_project(kVersion0, table);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().to_string().find("upgrading the project from version 0 to 1: scene 3 has no size"),
            std::string::npos)
      << p.error().to_string();
}

TEST(ProjectMigration, AStepThatLeavesAnInvalidDocumentFailsTheSchema) {
  const ProjectMigrations table = {{0, [](json& doc) {
                                      doc.erase("scenes");
                                      return ok_status();
                                    }}};
  auto p = parse_project(kVersion0, table);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().to_string().find("shots: is required"), std::string::npos) << p.error().to_string();
}

}  // namespace
}  // namespace dc::project
