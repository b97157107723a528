// Malformed safetensors files: every rule of safetensors_header.h has a file
// that breaks it, and the error must have the right code and name the file
// and, where there is one, the tensor.
#include <gtest/gtest.h>

#include "core/io/safetensors/safetensors_file.h"
#include "tests/io/io_test_util.h"

namespace dc {
namespace {

class Malformed : public ::testing::Test {
 protected:
  // Writes a file named after the test with this header and data, opens it
  // and checks the error.
  void expect_rejected(std::string_view header, std::string_view data, ErrorCode code,
                       std::vector<std::string> pieces, std::optional<uint64_t> header_length = std::nullopt) {
    const auto path = dir_ / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                              ".safetensors");
    test::write_raw_safetensors(path, header, data, header_length);
    pieces.push_back(path.filename().string());
    test::expect_error(test::error_of(SafetensorsFile::open(path)), code, pieces);
  }

  std::shared_ptr<SafetensorsFile> expect_accepted(std::string_view header, std::string_view data) {
    const auto path = dir_ / "good.safetensors";
    test::write_raw_safetensors(path, header, data);
    auto file = SafetensorsFile::open(path);
    EXPECT_TRUE(file) << file.error().to_string();
    return file ? *file : nullptr;
  }

  test::TempDir dir_;
};

const std::string k16(16, '\0');

TEST_F(Malformed, FileShorterThanLengthField) {
  const auto path = dir_ / "short.safetensors";
  test::write_file(path, std::string_view("\x05\0\0\0\0", 5));
  test::expect_error(test::error_of(SafetensorsFile::open(path)), ErrorCode::kFormat, {"short.safetensors", "5 bytes"});
}

TEST_F(Malformed, EmptyFile) {
  const auto path = dir_ / "empty.safetensors";
  test::write_file(path, "");
  test::expect_error(test::error_of(SafetensorsFile::open(path)), ErrorCode::kFormat, {"empty.safetensors"});
}

TEST_F(Malformed, HeaderCutShort) {
  const std::string header = R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})";
  const auto path = dir_ / "cut.safetensors";
  test::write_raw_safetensors(path, header.substr(0, 20), "", header.size());
  test::expect_error(test::error_of(SafetensorsFile::open(path)), ErrorCode::kFormat,
                     {"cut.safetensors", "header length", "past the end"});
}

TEST_F(Malformed, DataCutShort) {
  expect_rejected(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::string(8, '\0'),
                  ErrorCode::kFormat, {"'w'", "past the end of the data section"});
}

TEST_F(Malformed, HugeHeaderLengthFailsWithoutAllocating) {
  // 2^60 bytes: any attempt to allocate or read that much would throw or crash.
  expect_rejected("{}", "", ErrorCode::kFormat, {"1152921504606846976", "limit"}, uint64_t{1} << 60);
}

TEST_F(Malformed, HeaderLengthBeyondFile) {
  expect_rejected("{}", "", ErrorCode::kFormat, {"header length 1000", "past the end"}, 1000);
}

TEST_F(Malformed, InvalidJson) {
  expect_rejected(R"({"w":{"dtype":"F32",)", "", ErrorCode::kFormat, {"not valid JSON"});
}

TEST_F(Malformed, HeaderNotAnObject) { expect_rejected("[1, 2]", "", ErrorCode::kFormat, {"JSON object", "array"}); }

TEST_F(Malformed, HeaderNotUtf8) {
  expect_rejected("{\"w\xff\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", "", ErrorCode::kFormat,
                  {"not UTF-8", "offset 3"});
}

TEST_F(Malformed, OverlappingTensors) {
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                  R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                  k16, ErrorCode::kFormat, {"tensor 'b'", "overlap tensor 'a'"});
}

TEST_F(Malformed, OverlapBehindAnEmptyTensor) {
  // Sorted by begin: a [0,8), e [4,4) (empty, owns nothing), c [6,7). 'c' lies
  // inside 'a' although its neighbour 'e' overlaps nothing.
  expect_rejected(R"({"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},)"
                  R"("e":{"dtype":"U8","shape":[0],"data_offsets":[4,4]},)"
                  R"("c":{"dtype":"U8","shape":[1],"data_offsets":[6,7]}})",
                  k16, ErrorCode::kFormat, {"tensor 'c'", "overlap tensor 'a'"});
}

TEST_F(Malformed, OffsetsPastEnd) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[4],"data_offsets":[16,20]}})", k16, ErrorCode::kFormat,
                  {"'w'", "[16, 20]", "past the end"});
}

TEST_F(Malformed, BeginAfterEnd) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[4],"data_offsets":[8,4]}})", k16, ErrorCode::kFormat,
                  {"'w'", "begin after end"});
}

TEST_F(Malformed, ByteLengthDoesNotMatchShape) {
  expect_rejected(R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}})", k16, ErrorCode::kFormat,
                  {"'w'", "12 bytes", "F32 [2, 2] needs 16"});
}

TEST_F(Malformed, Int4ByteLengthIsHalfRoundedUp) {
  expect_rejected(R"({"q":{"dtype":"I4","shape":[5],"data_offsets":[0,5]}})", k16, ErrorCode::kFormat,
                  {"'q'", "needs 3"});
  auto file = expect_accepted(R"({"q":{"dtype":"I4","shape":[5],"data_offsets":[0,3]}})", k16);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->info("q")->size, 3u);
}

TEST_F(Malformed, UnknownDtype) {
  expect_rejected(R"({"w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}})", k16, ErrorCode::kFormat,
                  {"'w'", "unknown dtype 'F128'"});
}

TEST_F(Malformed, ForeignDtypeIsNotSupported) {
  expect_rejected(R"({"w":{"dtype":"U32","shape":[1],"data_offsets":[0,4]}})", k16, ErrorCode::kNotSupported,
                  {"'w'", "U32"});
}

TEST_F(Malformed, DtypeNotAString) {
  expect_rejected(R"({"w":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})", k16, ErrorCode::kFormat,
                  {"'w'", "'dtype' must be a string"});
}

TEST_F(Malformed, NegativeDimension) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[4,-2],"data_offsets":[0,0]}})", k16, ErrorCode::kFormat,
                  {"'w'", "shape[1] is -2"});
}

TEST_F(Malformed, FractionalDimension) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[2.5],"data_offsets":[0,2]}})", k16, ErrorCode::kFormat,
                  {"'w'", "shape[0]", "2.5"});
}

TEST_F(Malformed, ShapeProductOverflows) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}})", k16,
                  ErrorCode::kFormat, {"'w'", "int64"});
  // Even behind a zero dim: strides would still be computed from the product.
  expect_rejected(R"({"w":{"dtype":"U8","shape":[0,4294967296,4294967296],"data_offsets":[0,0]}})", k16,
                  ErrorCode::kFormat, {"'w'", "int64"});
}

TEST_F(Malformed, ByteSizeOverflows) {
  // numel fits int64, numel x 8 bytes does not.
  expect_rejected(R"({"w":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,16]}})", k16,
                  ErrorCode::kFormat, {"'w'", "needs more than 2^64"});
}

TEST_F(Malformed, MissingFields) {
  expect_rejected(R"({"w":{"shape":[1],"data_offsets":[0,1]}})", k16, ErrorCode::kFormat, {"'w'", "missing 'dtype'"});
  expect_rejected(R"({"w":{"dtype":"U8","data_offsets":[0,1]}})", k16, ErrorCode::kFormat, {"'w'", "missing 'shape'"});
  expect_rejected(R"({"w":{"dtype":"U8","shape":[1]}})", k16, ErrorCode::kFormat, {"'w'", "missing 'data_offsets'"});
  expect_rejected(R"({"w":[1,2]})", k16, ErrorCode::kFormat, {"'w'", "entry must be an object"});
}

TEST_F(Malformed, DataOffsetsNotAPair) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0]}})", k16, ErrorCode::kFormat,
                  {"'w'", "[begin, end]"});
  expect_rejected(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}})", k16, ErrorCode::kFormat,
                  {"'w'", "[begin, end]"});
}

TEST_F(Malformed, NonStringMetadata) {
  expect_rejected(R"({"__metadata__":{"format":"pt","step":3}})", "", ErrorCode::kFormat,
                  {"__metadata__", "'step'", "integer"});
  expect_rejected(R"({"__metadata__":["pt"]})", "", ErrorCode::kFormat, {"__metadata__", "must be an object"});
}

TEST_F(Malformed, DuplicateTensorName) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                  R"("w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
                  k16, ErrorCode::kFormat, {"duplicate key 'w'"});
}

TEST_F(Malformed, DeepNesting) {
  expect_rejected(R"({"w":{"dtype":"U8","shape":[[[1]]],"data_offsets":[0,1]}})", k16, ErrorCode::kFormat,
                  {"nests deeper"});
  expect_rejected(std::string(100000, '[') + std::string(100000, ']'), "", ErrorCode::kFormat, {});
}

TEST_F(Malformed, AcceptsEmptyHeaderGapsEmptyTensorsAndPadding) {
  auto empty = expect_accepted("{}", "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->size(), 0u);
  // Gap between 'a' and 'b', empty tensors sharing offsets, trailing space padding.
  auto file = expect_accepted(R"({"b":{"dtype":"U8","shape":[2],"data_offsets":[8,10]},)"
                              R"("a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                              R"("e1":{"dtype":"F32","shape":[0,3],"data_offsets":[1,1]},)"
                              R"("e2":{"dtype":"F32","shape":[0],"data_offsets":[1,1]}}    )",
                              k16);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->tensor_names(), (std::vector<std::string>{"a", "e1", "e2", "b"}));
  auto e1 = file->tensor("e1");
  ASSERT_TRUE(e1);
  EXPECT_EQ(e1->numel(), 0);
  EXPECT_EQ(e1->shape(), (Shape{0, 3}));
}

}  // namespace
}  // namespace dc
