// write_safetensors -> SafetensorsFile round trips, zero-copy views, the
// unaligned-copy fallback and the writer's atomicity.
#include <gtest/gtest.h>

#include "core/io/safetensors/mapped_file.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "tests/io/io_test_util.h"

namespace dc {
namespace {

using test::TempDir;

std::vector<std::pair<std::string, Tensor>> every_dtype() {
  const DType all[] = {DType::kF64, DType::kF32, DType::kF16, DType::kBF16, DType::kF8E4M3, DType::kI64,
                       DType::kI32, DType::kI16, DType::kI8,  DType::kU8,   DType::kBool,   DType::kI4};
  std::vector<std::pair<std::string, Tensor>> out;
  uint32_t seed = 1;
  for (DType d : all) out.emplace_back("t." + std::string(dtype_name(d)), test::pattern_tensor(d, {2, 3}, seed++));
  out.emplace_back("odd_i4", test::pattern_tensor(DType::kI4, {5}, seed++));  // 3 bytes, last nibble padding
  out.emplace_back("empty", test::pattern_tensor(DType::kBF16, {0, 4}, seed++));
  out.emplace_back("scalar", test::pattern_tensor(DType::kF32, {}, seed++));
  return out;
}

TEST(SafetensorsRoundTrip, EveryDtypeShapeAndMetadata) {
  TempDir dir;
  const auto tensors = every_dtype();
  const std::map<std::string, std::string> metadata = {{"format", "pt"}, {"note", "caf\xc3\xa9 \"quoted\""}};
  ASSERT_TRUE(write_safetensors(dir / "all.safetensors", tensors, metadata));

  auto file = SafetensorsFile::open(dir / "all.safetensors");
  ASSERT_TRUE(file) << file.error().to_string();
  EXPECT_EQ((*file)->size(), tensors.size());
  EXPECT_EQ((*file)->metadata(), metadata);
  for (const auto& [name, expected] : tensors) {
    SCOPED_TRACE(name);
    auto info = (*file)->info(name);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->dtype, expected.dtype());
    EXPECT_EQ(info->shape, expected.shape());
    EXPECT_EQ(info->size, expected.nbytes());
    auto t = (*file)->tensor(name);
    ASSERT_TRUE(t) << t.error().to_string();
    EXPECT_EQ(t->dtype(), expected.dtype());
    EXPECT_EQ(t->shape(), expected.shape());
    EXPECT_TRUE(t->device().is_cpu());
    EXPECT_EQ(test::tensor_bytes(*t), test::tensor_bytes(expected));
  }
  EXPECT_EQ((*file)->info("odd_i4")->size, 3u);
  EXPECT_EQ((*file)->info("empty")->size, 0u);
}

TEST(SafetensorsRoundTrip, WriterAlignsEveryTensorAndPadsHeader) {
  TempDir dir;
  ASSERT_TRUE(write_safetensors(dir / "a.safetensors", every_dtype()));
  auto file = SafetensorsFile::open(dir / "a.safetensors");
  ASSERT_TRUE(file);
  EXPECT_EQ((*file)->data_start() % 8, 0u);
  const std::string raw = test::read_file(dir / "a.safetensors");
  const char last = raw[(*file)->data_start() - 1];
  EXPECT_TRUE(last == ' ' || last == '}') << "header padding must be spaces";
  for (const auto& name : (*file)->tensor_names()) {
    const auto info = *(*file)->info(name);
    const uint64_t element = std::max(dtype_bits(info.dtype) / 8, 1);
    EXPECT_EQ(((*file)->data_start() + info.offset) % element, 0u) << name;
  }
}

TEST(SafetensorsRoundTrip, NamesFollowDataOffsets) {
  TempDir dir;
  ASSERT_TRUE(write_safetensors(dir / "a.safetensors", every_dtype()));
  auto file = SafetensorsFile::open(dir / "a.safetensors");
  ASSERT_TRUE(file);
  const auto& names = (*file)->tensor_names();
  ASSERT_EQ(names.size(), every_dtype().size());
  for (size_t i = 1; i < names.size(); ++i)
    EXPECT_LE((*file)->info(names[i - 1])->offset, (*file)->info(names[i])->offset);
  EXPECT_EQ(names.front(), "t.f64");  // largest elements first, as written
}

TEST(SafetensorsRoundTrip, TensorsAreZeroCopyViewsThatKeepTheMappingAlive) {
  TempDir dir;
  const Tensor expected = test::pattern_tensor(DType::kF32, {64, 3}, 7);
  ASSERT_TRUE(write_safetensors(dir / "w.safetensors", {{"w", expected}}));
  auto file = SafetensorsFile::open(dir / "w.safetensors");
  ASSERT_TRUE(file);
  auto t = (*file)->tensor("w");
  ASSERT_TRUE(t);
  const auto mapped = (*file)->mapped_bytes();
  const auto* p = static_cast<const uint8_t*>(t->data_ptr());
  EXPECT_GE(p, mapped.data());
  EXPECT_LE(p + t->nbytes(), mapped.data() + mapped.size());

  file->reset();  // the tensor's storage still owns the mapping
  EXPECT_EQ(test::tensor_bytes(*t), test::tensor_bytes(expected));
}

TEST(SafetensorsRoundTrip, UnalignedTensorIsCopiedToAlignedMemory) {
  TempDir dir;
  // "b" (F32) starts at data offset 1: not 4-byte aligned, as a foreign writer may produce.
  std::string header =
      R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  const float values[2] = {1.5f, -2.0f};
  std::string data(1, '\x2a');
  data.append(reinterpret_cast<const char*>(values), sizeof(values));
  test::write_raw_safetensors(dir / "u.safetensors", header, data);

  auto file = SafetensorsFile::open(dir / "u.safetensors");
  ASSERT_TRUE(file) << file.error().to_string();
  auto b = (*file)->tensor("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b->data_ptr()) % alignof(float), 0u);
  const auto mapped = (*file)->mapped_bytes();
  const auto* p = static_cast<const uint8_t*>(b->data_ptr());
  EXPECT_TRUE(p < mapped.data() || p >= mapped.data() + mapped.size()) << "expected a copy";
  EXPECT_EQ(b->data<float>()[0], 1.5f);
  EXPECT_EQ(b->data<float>()[1], -2.0f);

  auto a = (*file)->tensor("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a->data<uint8_t>(), 0x2a);
  EXPECT_EQ(static_cast<const uint8_t*>(a->data_ptr()), mapped.data() + (*file)->data_start());
}

TEST(SafetensorsRoundTrip, MissingTensorIsNotFound) {
  TempDir dir;
  ASSERT_TRUE(write_safetensors(dir / "w.safetensors", {{"w", test::pattern_tensor(DType::kF32, {2}, 1)}}));
  auto file = SafetensorsFile::open(dir / "w.safetensors");
  ASSERT_TRUE(file);
  EXPECT_TRUE((*file)->contains("w"));
  EXPECT_FALSE((*file)->contains("v"));
  test::expect_error(test::error_of((*file)->tensor("v")), ErrorCode::kNotFound, {"w.safetensors", "'v'"});
  test::expect_error(test::error_of((*file)->info("v")), ErrorCode::kNotFound, {"w.safetensors", "'v'"});
}

TEST(SafetensorsWriter, GathersNonContiguousTensors) {
  TempDir dir;
  const Tensor x = Tensor::from_vector({0, 1, 2, 3, 4, 5}, {2, 3});
  const Tensor xt = x.transpose(0, 1);                                      // [3, 2] strides [1, 3]
  const Tensor broadcast = Tensor::from_vector({7, 8}, {2, 1}).expand({2, 3});  // stride 0
  ASSERT_FALSE(xt.is_contiguous());
  ASSERT_TRUE(write_safetensors(dir / "s.safetensors", {{"xt", xt}, {"b", broadcast}}));
  auto file = SafetensorsFile::open(dir / "s.safetensors");
  ASSERT_TRUE(file);
  auto t = (*file)->tensor("xt");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->shape(), (Shape{3, 2}));
  const std::vector<float> got(t->data<float>(), t->data<float>() + 6);
  EXPECT_EQ(got, (std::vector<float>{0, 3, 1, 4, 2, 5}));
  auto b = (*file)->tensor("b");
  ASSERT_TRUE(b);
  EXPECT_EQ(std::vector<float>(b->data<float>(), b->data<float>() + 6), (std::vector<float>{7, 7, 7, 8, 8, 8}));
}

TEST(SafetensorsWriter, RejectsBadInputAndLeavesDestinationUntouched) {
  TempDir dir;
  const auto dest = dir / "keep.safetensors";
  test::write_file(dest, "previous contents");
  const Tensor t = test::pattern_tensor(DType::kF32, {2}, 1);

  test::expect_error(write_safetensors(dest, {{"a", t}, {"a", t}}).error(), ErrorCode::kInvalidArgument,
                     {"keep.safetensors", "'a'", "twice"});
  test::expect_error(write_safetensors(dest, {{"__metadata__", t}}).error(), ErrorCode::kInvalidArgument,
                     {"__metadata__"});
  test::expect_error(write_safetensors(dest, {{"u", Tensor()}}).error(), ErrorCode::kInvalidArgument,
                     {"'u'", "undefined"});
  const Tensor i4 = test::pattern_tensor(DType::kI4, {4, 2}, 1).transpose(0, 1);
  test::expect_error(write_safetensors(dest, {{"q", i4}}).error(), ErrorCode::kInvalidArgument, {"'q'", "int4"});
  test::expect_error(write_safetensors(dest, {{"bad\xff", t}}).error(), ErrorCode::kInvalidArgument, {"UTF-8"});
  EXPECT_EQ(test::read_file(dest), "previous contents");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(SafetensorsWriter, FailedRenameRemovesTheTemporaryFile) {
  TempDir dir;
  std::filesystem::create_directories(dir / "occupied" / "child");  // rename onto a non-empty folder fails
  const auto result = write_safetensors(dir / "occupied", {{"a", test::pattern_tensor(DType::kF32, {2}, 1)}});
  test::expect_error(result.error(), ErrorCode::kIo, {"occupied", "rename"});
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "temporary file left behind";
  EXPECT_TRUE(std::filesystem::is_directory(dir / "occupied" / "child"));
}

TEST(SafetensorsWriter, MissingFolderIsAnIoErrorNamingThePath) {
  TempDir dir;
  const auto result = write_safetensors(dir / "no" / "such" / "x.safetensors", {});
  test::expect_error(result.error(), ErrorCode::kIo, {"x.safetensors"});
}

TEST(SafetensorsWriter, OverwritesAtomicallyAndWritesEmptyFiles) {
  TempDir dir;
  const auto dest = dir / "x.safetensors";
  ASSERT_TRUE(write_safetensors(dest, {{"a", test::pattern_tensor(DType::kF32, {4}, 1)}}));
  ASSERT_TRUE(write_safetensors(dest, {}));
  auto file = SafetensorsFile::open(dest);
  ASSERT_TRUE(file);
  EXPECT_EQ((*file)->size(), 0u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(MappedFile, MapsEmptyFilesAndNamesMissingPaths) {
  TempDir dir;
  test::write_file(dir / "empty", "");
  auto empty = MappedFile::open(dir / "empty");
  ASSERT_TRUE(empty) << empty.error().to_string();
  EXPECT_EQ(empty->size(), 0u);
  EXPECT_TRUE(empty->bytes().empty());

  test::expect_error(test::error_of(MappedFile::open(dir / "missing.bin")), ErrorCode::kNotFound,
                     {"missing.bin", "No such file"});
  test::expect_error(test::error_of(MappedFile::open(dir.path())), ErrorCode::kInvalidArgument,
                     {"not a regular file"});
}

TEST(MappedFile, MovesOwnership) {
  TempDir dir;
  test::write_file(dir / "f", "hello");
  auto a = MappedFile::open(dir / "f");
  ASSERT_TRUE(a);
  MappedFile b = std::move(*a);
  EXPECT_EQ(a->size(), 0u);
  EXPECT_EQ(a->data(), nullptr);
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(b.data()), b.size()), "hello");
  MappedFile c;
  c = std::move(b);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(c.data()), c.size()), "hello");
  EXPECT_EQ(b.data(), nullptr);
}

}  // namespace
}  // namespace dc
