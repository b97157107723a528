// Checkpoint: single files and sharded *.safetensors.index.json checkpoints.
#include <gtest/gtest.h>

#include "core/io/safetensors/checkpoint.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "tests/io/io_test_util.h"

namespace dc {
namespace {

using test::TempDir;

class ShardedCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = test::pattern_tensor(DType::kF32, {4, 2}, 1);
    b_ = test::pattern_tensor(DType::kBF16, {3}, 2);
    c_ = test::pattern_tensor(DType::kF16, {2, 2}, 3);
    ASSERT_TRUE(write_safetensors(dir_ / "model-00001-of-00002.safetensors", {{"a", a_}, {"b", b_}}));
    ASSERT_TRUE(write_safetensors(dir_ / "model-00002-of-00002.safetensors", {{"c", c_}, {"stray", c_}}));
  }

  std::filesystem::path write_index(std::string_view weight_map, std::string_view name = "model.safetensors.index.json") {
    const auto path = dir_ / std::string(name);
    test::write_file(path, R"({"metadata": {"total_size": 44, "format": "pt"}, "weight_map": )" +
                               std::string(weight_map) + "}");
    return path;
  }

  static constexpr std::string_view kGoodMap =
      R"({"c": "model-00002-of-00002.safetensors", "a": "model-00001-of-00002.safetensors",
          "b": "model-00001-of-00002.safetensors"})";

  TempDir dir_;
  Tensor a_, b_, c_;
};

TEST_F(ShardedCheckpoint, OpensEveryShardAndFindsEachTensor) {
  auto ckpt = Checkpoint::open(write_index(kGoodMap));
  ASSERT_TRUE(ckpt) << ckpt.error().to_string();
  EXPECT_TRUE(ckpt->is_sharded());
  EXPECT_EQ(ckpt->files().size(), 2u);
  EXPECT_EQ(ckpt->tensor_names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(ckpt->contains("stray")) << "tensors the index does not map are not part of the checkpoint";
  for (const auto& [name, expected] : {std::pair{"a", a_}, std::pair{"b", b_}, std::pair{"c", c_}}) {
    SCOPED_TRACE(name);
    auto t = ckpt->tensor(name);
    ASSERT_TRUE(t) << t.error().to_string();
    EXPECT_EQ(t->shape(), expected.shape());
    EXPECT_EQ(test::tensor_bytes(*t), test::tensor_bytes(expected));
    EXPECT_EQ(ckpt->info(name)->dtype, expected.dtype());
  }
  EXPECT_EQ(ckpt->file_of("c")->path().filename(), "model-00002-of-00002.safetensors");
  EXPECT_EQ(ckpt->metadata().at("total_size"), "44");
  EXPECT_EQ(ckpt->metadata().at("format"), "pt");
  EXPECT_EQ(ckpt->unused({"a", "c", "not_in_checkpoint"}), (std::vector<std::string>{"b"}));
  test::expect_error(test::error_of(ckpt->tensor("stray")), ErrorCode::kNotFound,
                     {"model.safetensors.index.json", "'stray'"});
}

TEST_F(ShardedCheckpoint, MissingShard) {
  auto r = Checkpoint::open(write_index(R"({"a": "model-00001-of-00002.safetensors", "z": "gone.safetensors"})"));
  test::expect_error(test::error_of(r), ErrorCode::kNotFound,
                     {"model.safetensors.index.json", "'gone.safetensors'", "'z'"});
}

TEST_F(ShardedCheckpoint, ShardOutsideTheFolderIsRejected) {
  // The file exists, so only the traversal check can reject it.
  std::filesystem::create_directories(dir_ / "sub");
  ASSERT_TRUE(write_safetensors(dir_ / "x.safetensors", {{"a", a_}}));
  auto r = Checkpoint::open(write_index(R"({"a": "../x.safetensors"})", "sub/model.safetensors.index.json"));
  test::expect_error(test::error_of(r), ErrorCode::kFormat,
                     {"model.safetensors.index.json", "'a'", "'../x.safetensors'", "not a plain file name"});
  r = Checkpoint::open(write_index(R"({"a": "/etc/passwd"})"));
  test::expect_error(test::error_of(r), ErrorCode::kFormat, {"'/etc/passwd'"});
}

TEST_F(ShardedCheckpoint, NameNotInItsShard) {
  auto r = Checkpoint::open(write_index(R"({"a": "model-00002-of-00002.safetensors"})"));
  test::expect_error(test::error_of(r), ErrorCode::kFormat,
                     {"model.safetensors.index.json", "tensor 'a'", "'model-00002-of-00002.safetensors'",
                      "does not contain it"});
}

TEST_F(ShardedCheckpoint, MalformedIndex) {
  test::expect_error(test::error_of(Checkpoint::open(write_index(R"(["a"])"))), ErrorCode::kFormat,
                     {"'weight_map' must be an object"});
  test::expect_error(test::error_of(Checkpoint::open(write_index(R"({"a": 3})"))), ErrorCode::kFormat,
                     {"'a'", "shard file name", "integer"});
  const auto no_map = dir_ / "nomap.safetensors.index.json";
  test::write_file(no_map, R"({"metadata": {}})");
  test::expect_error(test::error_of(Checkpoint::open(no_map)), ErrorCode::kFormat, {"nomap", "no 'weight_map'"});
  const auto bad_json = dir_ / "bad.safetensors.index.json";
  test::write_file(bad_json, R"({"weight_map": )");
  test::expect_error(test::error_of(Checkpoint::open(bad_json)), ErrorCode::kFormat, {"bad.safetensors.index.json"});
  test::expect_error(test::error_of(Checkpoint::open(dir_ / "none.safetensors.index.json")), ErrorCode::kNotFound,
                     {"none.safetensors.index.json"});
}

TEST_F(ShardedCheckpoint, CorruptShardNamesShardAndIndex) {
  test::write_raw_safetensors(dir_ / "broken.safetensors", R"({"a":{"dtype":"F32","shape":[9],"data_offsets":[0,36]}})");
  auto r = Checkpoint::open(write_index(R"({"a": "broken.safetensors"})"));
  test::expect_error(test::error_of(r), ErrorCode::kFormat,
                     {"model.safetensors.index.json", "broken.safetensors", "'a'", "past the end"});
}

TEST(Checkpoint, SingleFile) {
  TempDir dir;
  const Tensor w = test::pattern_tensor(DType::kF32, {3}, 5);
  ASSERT_TRUE(write_safetensors(dir / "m.safetensors", {{"w", w}, {"v", w}}, {{"k", "v"}}));
  auto ckpt = Checkpoint::open(dir / "m.safetensors");
  ASSERT_TRUE(ckpt) << ckpt.error().to_string();
  EXPECT_FALSE(ckpt->is_sharded());
  EXPECT_EQ(ckpt->size(), 2u);
  EXPECT_EQ(ckpt->tensor_names(), (std::vector<std::string>{"w", "v"}));
  EXPECT_EQ(ckpt->metadata().at("k"), "v");
  EXPECT_EQ(test::tensor_bytes(*ckpt->tensor("v")), test::tensor_bytes(w));
  EXPECT_EQ(ckpt->unused({"w"}), (std::vector<std::string>{"v"}));
  EXPECT_TRUE(ckpt->unused({"w", "v"}).empty());
  test::expect_error(test::error_of(ckpt->info("x")), ErrorCode::kNotFound, {"m.safetensors", "'x'"});
  test::expect_error(test::error_of(Checkpoint::open(dir / "missing.safetensors")), ErrorCode::kNotFound,
                     {"missing.safetensors"});
}

}  // namespace
}  // namespace dc
