// Batch render planning: shards, shot filters, fingerprints, render records.
#include <gtest/gtest.h>

#include <set>

#include "core/project/atomic_file.h"
#include "core/project/content_hash.h"
#include "core/project/render_plan.h"
#include "tests/common/test_util.h"
#include "tests/project/sample_project.h"

namespace dc::project {
namespace {

namespace fs = std::filesystem;

Project project_with_shots(int n) {
  Project p = test::sample_project();
  Shot s = p.shots[0];
  p.shots.clear();
  for (int i = 0; i < n; ++i) {
    s.id = "shot" + std::to_string(i);
    p.shots.push_back(s);
  }
  return p;
}

TEST(RenderPlan, ParsesShards) {
  auto s = parse_shard("3/8");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 3);
  EXPECT_EQ(s->count, 8);
  for (const char* bad : {"0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "-1/2", "1/ 2", ""}) {
    auto r = parse_shard(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) EXPECT_NE(r.error().to_string().find("--shard must be I/N"), std::string::npos);
  }
}

TEST(RenderPlan, ShardsPartitionTheShotsExactly) {
  for (int shots : {0, 1, 7, 20}) {
    const Project p = project_with_shots(shots);
    for (int n = 1; n <= 6; ++n) {
      std::multiset<size_t> all;
      for (int i = 1; i <= n; ++i) {
        auto picked = select_shots(p, {}, {i, n});
        ASSERT_TRUE(picked);
        for (size_t k : *picked) {
          EXPECT_EQ(static_cast<int>(k % n), i - 1) << "shot k goes to shard (k mod N) + 1";
          all.insert(k);
        }
        EXPECT_TRUE(std::is_sorted(picked->begin(), picked->end()));
      }
      ASSERT_EQ(all.size(), static_cast<size_t>(shots)) << shots << " shots, " << n << " shards";
      for (int k = 0; k < shots; ++k) EXPECT_EQ(all.count(static_cast<size_t>(k)), 1u);
    }
  }
}

TEST(RenderPlan, ShotFilterKeepsProjectOrderAndRejectsUnknownIds) {
  const Project p = project_with_shots(6);
  auto picked = select_shots(p, {"shot4", "shot1"}, {});
  ASSERT_TRUE(picked);
  EXPECT_EQ(*picked, (std::vector<size_t>{1, 4}));
  auto sharded = select_shots(p, {"shot4", "shot1", "shot3"}, {2, 2});  // odd positions only
  ASSERT_TRUE(sharded);
  EXPECT_EQ(*sharded, (std::vector<size_t>{1, 3}));
  auto unknown = select_shots(p, {"shot1", "nope"}, {});
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().to_string().find("no shot \"nope\""), std::string::npos);
}

TEST(RenderPlan, FingerprintFollowsWhatDecidesTheOutput) {
  const Project p = test::sample_project();
  const std::string base = shot_fingerprint(p, p.shots[0]);
  EXPECT_TRUE(is_valid_content_hash(base));
  auto changed = [&](const std::function<void(Project&)>& edit) {
    Project q = p;
    edit(q);
    return shot_fingerprint(q, q.shots[0]) != base;
  };
  EXPECT_TRUE(changed([](Project& q) { q.shots[0].prompt += "!"; }));
  EXPECT_TRUE(changed([](Project& q) { q.shots[0].seed ^= 1; }));
  EXPECT_TRUE(changed([](Project& q) { q.shots[0].steps += 1; }));
  EXPECT_TRUE(changed([](Project& q) { q.shots[0].width += 16; }));
  EXPECT_TRUE(changed([](Project& q) { q.shots[0].loras[0].strength = 0.5; }));
  // The LoRA files' contents, when given, count too; shots without LoRAs ignore them.
  EXPECT_NE(shot_fingerprint(p, p.shots[0], {"fnv1a64:0000000000000001"}),
            shot_fingerprint(p, p.shots[0], {"fnv1a64:0000000000000002"}));
  EXPECT_NE(shot_fingerprint(p, p.shots[0], {"fnv1a64:0000000000000001"}), base);
  EXPECT_TRUE(changed([](Project& q) { q.models[0].content_hash = "fnv1a64:0000000000000000"; }));
  EXPECT_TRUE(changed([](Project& q) { q.output.image_format = "png"; }));
  EXPECT_FALSE(changed([](Project& q) { q.shots[0].timeline.start += 10; }));  // moving a shot is not re-rendering it
  EXPECT_FALSE(changed([](Project& q) { q.name = "renamed"; }));
  EXPECT_FALSE(changed([](Project& q) { q.shots[1].prompt = "another shot"; }));
  // A video shot's prompt keyframes decide its frames.
  const std::string video = shot_fingerprint(p, p.shots[2]);
  Project q = p;
  q.shots[2].keyframes[0].prompt += "!";
  EXPECT_NE(shot_fingerprint(q, q.shots[2]), video);
  q = p;
  q.shots[2].keyframes[0].frame += 1;
  EXPECT_NE(shot_fingerprint(q, q.shots[2]), video);
  EXPECT_EQ(shot_output_name(p, p.shots[0]), "opening.exr");
}

class RenderRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    p_.output.image_format = "png";
    test::write_file(tmp_ / "opening.png", "finished pixels");
    record_ = {"opening", "opening.png", 15, *file_hash(tmp_ / "opening.png"), shot_fingerprint(p_, shot())};
    ASSERT_TRUE(write_render_record(tmp_.path(), record_));
  }
  const Shot& shot() const { return p_.shots[0]; }
  FinishedCheck check() const { return check_finished(tmp_.path(), p_, shot()); }

  Project p_ = test::sample_project();
  test::TempDir tmp_;
  RenderRecord record_;
};

TEST_F(RenderRecords, RoundTrip) {
  EXPECT_EQ(render_record_path(tmp_.path(), "opening"), tmp_ / "opening.done.json");
  auto back = read_render_record(tmp_.path(), "opening");
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, record_);
  EXPECT_EQ(read_render_record(tmp_.path(), "other").error().code(), ErrorCode::kNotFound);
}

TEST_F(RenderRecords, AnIntactOutputIsFinished) {
  const FinishedCheck c = check();
  EXPECT_TRUE(c.finished) << c.reason;
  EXPECT_FALSE(check_finished(tmp_.path(), p_, p_.shots[1]).finished);
  EXPECT_EQ(check_finished(tmp_.path(), p_, p_.shots[1]).reason, "not rendered yet");
}

TEST_F(RenderRecords, TornMissingOrChangedOutputsAreNotFinished) {
  test::write_file(tmp_ / "opening.png", "finished pix");  // torn: shorter
  EXPECT_NE(check().reason.find("different size"), std::string::npos) << check().reason;
  test::write_file(tmp_ / "opening.png", "finished pixelz");  // same size, other bytes
  EXPECT_NE(check().reason.find("different content"), std::string::npos) << check().reason;
  fs::remove(tmp_ / "opening.png");
  EXPECT_NE(check().reason.find("missing"), std::string::npos) << check().reason;
  test::write_file(tmp_ / "opening.png", "finished pixels");
  EXPECT_TRUE(check().finished);
  p_.shots[0].prompt = "another idea";
  EXPECT_EQ(check().reason, "the shot or its LoRA files changed since it was rendered");  // the sample shot has a LoRA
}

TEST_F(RenderRecords, AMalformedRecordIsNotFinished) {
  test::write_file(render_record_path(tmp_.path(), "opening"), "{\"shot\": \"opening\", \"bytes\": -1}");
  const FinishedCheck c = check();
  EXPECT_FALSE(c.finished);
  EXPECT_NE(c.reason.find("unreadable"), std::string::npos) << c.reason;
  EXPECT_NE(c.reason.find("bytes"), std::string::npos) << c.reason;
}

TEST_F(RenderRecords, StaleTemporariesOfTheShotAreRemoved) {
  for (const char* name : {".opening.png.tmp-5-0.png", ".opening.png.tmp-5-0.partial-5.png",
                           ".opening.done.json.tmp-5-1", ".close_up-2.png.tmp-5-2.png", ".openings.png.tmp-1-1.png"}) {
    test::write_file(tmp_ / name, "partial");
  }
  EXPECT_EQ(remove_stale_temporaries(tmp_.path(), p_, shot()), 3);
  EXPECT_TRUE(fs::exists(tmp_ / ".close_up-2.png.tmp-5-2.png"));  // another shot's (maybe another shard's)
  EXPECT_TRUE(fs::exists(tmp_ / ".openings.png.tmp-1-1.png"));
  EXPECT_TRUE(fs::exists(tmp_ / "opening.png"));
  EXPECT_TRUE(check().finished);
}

}  // namespace
}  // namespace dc::project
