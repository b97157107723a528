// dcstudio.json model cards: absent, valid, and every malformed form named in the error.
#include <gtest/gtest.h>

#include <fstream>

#include "core/pipeline/model_card.h"
#include "tests/common/test_util.h"

namespace dc::pipeline {
namespace {

void write_card(const std::filesystem::path& dir, const std::string& text) {
  std::ofstream(dir / kModelCardFile) << text;
}

TEST(ModelCard, AbsentIsNoCard) {
  test::TempDir tmp;
  auto card = read_model_card(tmp.path());
  ASSERT_TRUE(card) << card.error().to_string();
  EXPECT_FALSE(card->has_value());
}

TEST(ModelCard, ReadsEveryField) {
  test::TempDir tmp;
  write_card(tmp.path(), R"({"label": "Shapes", "default_width": 512, "default_height": 384, "demo": true,
                             "notes": "tiny", "unknown_key": [1, 2]})");
  auto card = read_model_card(tmp.path());
  ASSERT_TRUE(card) << card.error().to_string();
  ASSERT_TRUE(card->has_value());
  EXPECT_EQ((*card)->label, "Shapes");
  EXPECT_EQ((*card)->default_width, 512);
  EXPECT_EQ((*card)->default_height, 384);
  EXPECT_TRUE((*card)->demo);
  EXPECT_EQ((*card)->notes, "tiny");
}

TEST(ModelCard, MalformedCardsAreClearErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "dcstudio.json"},
      {R"([1, 2])", "dcstudio.json"},
      {R"({"default_width": "big", "default_height": 512})", "default_width"},
      {R"({"default_width": 500, "default_height": 512})", "multiple of 16"},
      {R"({"default_width": 32768, "default_height": 512})", "multiple of 16"},
      {R"({"default_width": 512})", "both"},
      {R"({"demo": "yes"})", "demo"},
  };
  for (const auto& [text, expected] : cases) {
    test::TempDir tmp;
    write_card(tmp.path(), text);
    auto card = read_model_card(tmp.path());
    ASSERT_FALSE(card) << text;
    EXPECT_NE(card.error().message().find(expected), std::string::npos) << text << " -> " << card.error().message();
  }
}

}  // namespace
}  // namespace dc::pipeline
