// ConfigReader: typed getters and their error messages.
#include <gtest/gtest.h>

#include "core/io/diffusers/config_reader.h"
#include "tests/io/io_test_util.h"

namespace dc {
namespace {

constexpr std::string_view kVaeConfig = R"({
  "_class_name": "AutoencoderDC",
  "_diffusers_version": "0.32.0.dev0",
  "latent_channels": 32,
  "scaling_factor": 0.41407,
  "shift": 0,
  "upsample_shortcut": true,
  "attention_head_dim": null,
  "block_out_channels": [128, 256, 512],
  "encoder_block_types": ["ResBlock", "EfficientViTBlock"],
  "encoder_qkv_multiscales": [[], [], [5]],
  "decoder_norm_types": "rms_norm",
  "decoder_act_fns": ["silu", "silu", "gelu"],
  "bad_int": "32",
  "float_int": 32.0,
  "mixed_list": [1, "2", 3],
  "nested_bad": [[1], [2, "x"]]
})";

class ConfigReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(dir_ / "vae" / "config.json", kVaeConfig);
    auto r = ConfigReader::from_file(dir_ / "vae" / "config.json");
    ASSERT_TRUE(r) << r.error().to_string();
    cfg_ = *r;
  }
  test::TempDir dir_;
  ConfigReader cfg_;
};

TEST_F(ConfigReaderTest, TypedValues) {
  EXPECT_EQ(cfg_.context(), "vae/config.json");
  EXPECT_EQ(*cfg_.class_name(), "AutoencoderDC");
  EXPECT_EQ(cfg_.diffusers_version(), "0.32.0.dev0");
  EXPECT_EQ(*cfg_.get_int("latent_channels"), 32);
  EXPECT_DOUBLE_EQ(*cfg_.get_float("scaling_factor"), 0.41407);
  EXPECT_DOUBLE_EQ(*cfg_.get_float("shift"), 0.0) << "an integer is a valid float";
  EXPECT_TRUE(*cfg_.get_bool("upsample_shortcut"));
  EXPECT_EQ(*cfg_.get_int_list("block_out_channels"), (std::vector<int64_t>{128, 256, 512}));
  EXPECT_EQ(*cfg_.get_string_list("encoder_block_types"), (std::vector<std::string>{"ResBlock", "EfficientViTBlock"}));
  EXPECT_EQ(*cfg_.get_int_list_list("encoder_qkv_multiscales"), (std::vector<std::vector<int64_t>>{{}, {}, {5}}));
  EXPECT_EQ(*cfg_.get_string("decoder_norm_types"), "rms_norm");
  EXPECT_TRUE(cfg_.has("latent_channels"));
  EXPECT_FALSE(cfg_.has("attention_head_dim")) << "null counts as absent";
}

TEST_F(ConfigReaderTest, TypeErrorsNameFileKeyAndTypes) {
  test::expect_error(test::error_of(cfg_.get_int("bad_int")), ErrorCode::kFormat,
                     {"vae/config.json: key 'bad_int' must be an integer, got string"});
  test::expect_error(test::error_of(cfg_.get_int("float_int")), ErrorCode::kFormat, {"'float_int'", "got float"});
  test::expect_error(test::error_of(cfg_.get_int("upsample_shortcut")), ErrorCode::kFormat, {"got boolean"});
  test::expect_error(test::error_of(cfg_.get_bool("latent_channels")), ErrorCode::kFormat,
                     {"vae/config.json", "'latent_channels'", "boolean", "integer"});
  test::expect_error(test::error_of(cfg_.get_string("latent_channels")), ErrorCode::kFormat, {"a string"});
  test::expect_error(test::error_of(cfg_.get_float("decoder_norm_types")), ErrorCode::kFormat, {"a number"});
  test::expect_error(test::error_of(cfg_.get_int_list("mixed_list")), ErrorCode::kFormat,
                     {"'mixed_list'", "list of integers", "element 1 is string"});
  test::expect_error(test::error_of(cfg_.get_int_list_list("nested_bad")), ErrorCode::kFormat,
                     {"'nested_bad'", "element 1 is array whose element 1 is string"});
  test::expect_error(test::error_of(cfg_.get_int("attention_head_dim")), ErrorCode::kFormat, {"got null"});
  test::expect_error(test::error_of(cfg_.get_int("nope")), ErrorCode::kNotFound,
                     {"vae/config.json", "missing key 'nope'"});
}

TEST_F(ConfigReaderTest, OptionalKeys) {
  EXPECT_EQ(*cfg_.get_int_or("nope", 7), 7);
  EXPECT_EQ(*cfg_.get_int_or("attention_head_dim", 8), 8) << "null takes the fallback";
  EXPECT_EQ(*cfg_.get_int_or("latent_channels", 7), 32);
  EXPECT_DOUBLE_EQ(*cfg_.get_float_or("nope", 1.5), 1.5);
  EXPECT_FALSE(*cfg_.get_bool_or("nope", false));
  EXPECT_EQ(*cfg_.get_string_or("nope", "x"), "x");
  EXPECT_EQ(*cfg_.get_int_list_or("nope", {1, 2}), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(*cfg_.get_string_list_or("nope", {"a"}), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(cfg_.get_int_list_list_or("nope", {})->empty());
  test::expect_error(test::error_of(cfg_.get_int_or("bad_int", 1)), ErrorCode::kFormat, {"'bad_int'"});
  test::expect_error(test::error_of(cfg_.get_string_list_or("mixed_list", {})), ErrorCode::kFormat,
                     {"'mixed_list'"});
}

TEST_F(ConfigReaderTest, StringOrList) {
  EXPECT_EQ(*cfg_.get_string_or_list("decoder_norm_types", 3), (std::vector<std::string>(3, "rms_norm")));
  EXPECT_EQ(*cfg_.get_string_or_list("decoder_act_fns", 3), (std::vector<std::string>{"silu", "silu", "gelu"}));
  test::expect_error(test::error_of(cfg_.get_string_or_list("decoder_act_fns", 4)), ErrorCode::kFormat,
                     {"vae/config.json", "'decoder_act_fns'", "has 3 entries, expected 4"});
  test::expect_error(test::error_of(cfg_.get_string_or_list("mixed_list", 3)), ErrorCode::kFormat,
                     {"a string or a list of strings", "element 0 is integer"});
  test::expect_error(test::error_of(cfg_.get_string_or_list("latent_channels", 3)), ErrorCode::kFormat,
                     {"got integer"});
  EXPECT_EQ(*cfg_.get_string_or_list_or("nope", 2, "batch_norm"), (std::vector<std::string>(2, "batch_norm")));
  EXPECT_EQ(*cfg_.get_string_or_list_or("decoder_norm_types", 2, "batch_norm"),
            (std::vector<std::string>(2, "rms_norm")));
}

TEST(ConfigReader, RejectsBadFiles) {
  test::TempDir dir;
  test::write_file(dir / "t" / "config.json", "{\"a\": ");
  test::expect_error(test::error_of(ConfigReader::from_file(dir / "t" / "config.json")), ErrorCode::kFormat,
                     {"config.json", "invalid JSON"});
  test::write_file(dir / "t" / "config.json", "[1]");
  test::expect_error(test::error_of(ConfigReader::from_file(dir / "t" / "config.json")), ErrorCode::kFormat,
                     {"t/config.json", "JSON object"});
  test::expect_error(test::error_of(ConfigReader::from_file(dir / "none" / "config.json")), ErrorCode::kNotFound,
                     {"config.json"});
  test::expect_error(test::error_of(ConfigReader::parse("{", "inline")), ErrorCode::kFormat, {"inline"});
  auto parsed = ConfigReader::parse(R"({"x": 1})", "inline");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed->get_int("x"), 1);
  test::expect_error(test::error_of(parsed->class_name()), ErrorCode::kNotFound, {"_class_name"});
  // transformers configs name their class in a one-entry "architectures" list.
  auto transformers_cfg = ConfigReader::parse(R"({"architectures": ["CLIPTextModel"]})", "inline");
  ASSERT_TRUE(transformers_cfg);
  EXPECT_EQ(*transformers_cfg->class_name(), "CLIPTextModel");
  auto two = ConfigReader::parse(R"({"architectures": ["A", "B"]})", "inline");
  ASSERT_TRUE(two);
  test::expect_error(test::error_of(two->class_name()), ErrorCode::kNotFound, {"architectures"});
  EXPECT_EQ(parsed->diffusers_version(), "");
  EXPECT_EQ(parsed->keys(), (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace dc
