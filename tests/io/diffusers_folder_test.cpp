// open_component and open_pipeline on diffusers-layout folders built in a temp dir.
#include <gtest/gtest.h>

#include "core/io/diffusers/component_folder.h"
#include "core/io/diffusers/pipeline_folder.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "tests/io/io_test_util.h"

namespace dc {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// A component folder with config.json and one weights file of that name
// holding tensor "w" filled from `seed`.
void make_component(const fs::path& dir, const std::string& weights_name, uint32_t seed = 1) {
  test::write_file(dir / "config.json", R"({"_class_name": "AutoencoderDC", "latent_channels": 32})");
  if (!weights_name.empty()) {
    ASSERT_TRUE(write_safetensors(dir / weights_name, {{"w", test::pattern_tensor(DType::kF32, {2}, seed)}}));
  }
}

Tensor tensor_w(const ComponentFolder& c) { return *c.weights.tensor("w"); }

TEST(ComponentFolder, DiffusersSingleFile) {
  TempDir root;
  make_component(root / "vae", "diffusion_pytorch_model.safetensors", 3);
  auto c = open_component(root / "vae");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->dir, root / "vae");
  EXPECT_EQ(*c->config.class_name(), "AutoencoderDC");
  EXPECT_EQ(*c->config.get_int("latent_channels"), 32);
  EXPECT_EQ(test::tensor_bytes(tensor_w(*c)), test::tensor_bytes(test::pattern_tensor(DType::kF32, {2}, 3)));
}

TEST(ComponentFolder, TransformersSingleFileAndShardedForms) {
  TempDir root;
  make_component(root / "text_encoder", "model.safetensors");
  auto c = open_component(root / "text_encoder");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->weights.path().filename(), "model.safetensors");

  make_component(root / "transformer", "diffusion_pytorch_model-00001-of-00001.safetensors");
  test::write_file(root / "transformer" / "diffusion_pytorch_model.safetensors.index.json",
                   R"({"weight_map": {"w": "diffusion_pytorch_model-00001-of-00001.safetensors"}})");
  c = open_component(root / "transformer");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_TRUE(c->weights.is_sharded());
  EXPECT_TRUE(c->weights.contains("w"));
}

TEST(ComponentFolder, PlainWeightsWinOverVariants) {
  TempDir root;
  make_component(root / "vae", "diffusion_pytorch_model.safetensors", 1);
  make_component(root / "vae", "diffusion_pytorch_model.fp16.safetensors", 2);
  EXPECT_EQ((*find_component_weights(root / "vae")).filename(), "diffusion_pytorch_model.safetensors");
  auto fp16 = open_component(root / "vae", "fp16");
  ASSERT_TRUE(fp16) << fp16.error().to_string();
  EXPECT_EQ(test::tensor_bytes(tensor_w(*fp16)), test::tensor_bytes(test::pattern_tensor(DType::kF32, {2}, 2)));
  test::expect_error(test::error_of(open_component(root / "vae", "bf16")), ErrorCode::kNotFound,
                     {"no bf16 weights", "diffusion_pytorch_model.bf16.safetensors"});
  test::expect_error(test::error_of(open_component(root / "vae", "../x")), ErrorCode::kInvalidArgument, {"'../x'"});
}

TEST(ComponentFolder, SoleVariantIsUsedSeveralAreAmbiguous) {
  TempDir root;
  make_component(root / "vae", "diffusion_pytorch_model.fp16.safetensors");
  auto c = open_component(root / "vae");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->weights.path().filename(), "diffusion_pytorch_model.fp16.safetensors");

  make_component(root / "vae", "diffusion_pytorch_model.bf16.safetensors");
  test::expect_error(test::error_of(open_component(root / "vae")), ErrorCode::kInvalidArgument,
                     {"several variants", "bf16, fp16"});
}

TEST(ComponentFolder, PickleOnlyIsNotSupported) {
  TempDir root;
  make_component(root / "vae", "");
  test::write_file(root / "vae" / "diffusion_pytorch_model.bin", "PK\x03\x04 pickle");
  test::expect_error(test::error_of(open_component(root / "vae")), ErrorCode::kNotSupported,
                     {"diffusion_pytorch_model.bin", "safetensors", "safe_serialization=True"});
}

TEST(ComponentFolder, MissingPieces) {
  TempDir root;
  make_component(root / "vae", "");
  test::expect_error(test::error_of(open_component(root / "vae")), ErrorCode::kNotFound,
                     {"vae", "no weights", "diffusion_pytorch_model.safetensors", "model.safetensors.index.json"});
  fs::create_directories(root / "empty");
  test::expect_error(test::error_of(open_component(root / "empty")), ErrorCode::kNotFound, {"no config.json"});
  test::expect_error(test::error_of(open_component(root / "absent")), ErrorCode::kNotFound, {"absent"});
  test::expect_error(test::error_of(open_component(root / "vae" / "config.json")), ErrorCode::kInvalidArgument,
                     {"config.json", "is a file"});
}

TEST(ComponentFolder, BadConfigOrWeightsPropagate) {
  TempDir root;
  make_component(root / "vae", "diffusion_pytorch_model.safetensors");
  test::write_file(root / "vae" / "config.json", "{");
  test::expect_error(test::error_of(open_component(root / "vae")), ErrorCode::kFormat, {"config.json"});
  make_component(root / "vae", "");
  test::write_file(root / "vae" / "diffusion_pytorch_model.safetensors", "tiny");
  test::expect_error(test::error_of(open_component(root / "vae")), ErrorCode::kFormat,
                     {"diffusion_pytorch_model.safetensors"});
}

class PipelineFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_file(root_ / "model_index.json", R"({
      "_class_name": "SanaPipeline",
      "_diffusers_version": "0.32.0",
      "requires_safety_checker": false,
      "safety_checker": [null, null],
      "scheduler": ["diffusers", "DPMSolverMultistepScheduler"],
      "text_encoder": ["transformers", "Gemma2Model"],
      "tokenizer": ["transformers", "GemmaTokenizerFast"],
      "transformer": ["diffusers", "SanaTransformer2DModel"],
      "vae": ["diffusers", "AutoencoderDC"]
    })");
    make_component(root_ / "vae", "diffusion_pytorch_model.safetensors");
    make_component(root_ / "transformer", "diffusion_pytorch_model.safetensors");
    make_component(root_ / "text_encoder", "model.safetensors");
    test::write_file(root_ / "scheduler" / "scheduler_config.json", R"({"_class_name": "DPMSolverMultistepScheduler"})");
    test::write_file(root_ / "tokenizer" / "tokenizer.json", "{}");
  }
  TempDir root_;
};

TEST_F(PipelineFolderTest, ListsComponentsAndOpensThem) {
  auto p = open_pipeline(root_.path());
  ASSERT_TRUE(p) << p.error().to_string();
  EXPECT_EQ(p->pipeline_class(), "SanaPipeline");
  EXPECT_EQ(p->diffusers_version(), "0.32.0");
  EXPECT_EQ(p->component_names(),
            (std::vector<std::string>{"scheduler", "text_encoder", "tokenizer", "transformer", "vae"}));
  EXPECT_FALSE(p->has_component("safety_checker"));
  EXPECT_EQ(*p->component_class("vae"), "AutoencoderDC");
  EXPECT_EQ(*p->component_library("text_encoder"), "transformers");
  EXPECT_FALSE(*p->model_index().get_bool("requires_safety_checker"));

  auto vae = p->component("vae");
  ASSERT_TRUE(vae) << vae.error().to_string();
  EXPECT_TRUE(vae->weights.contains("w"));
  auto te = p->component("text_encoder");
  ASSERT_TRUE(te) << te.error().to_string();
  EXPECT_EQ(te->weights.path().filename(), "model.safetensors");
  EXPECT_EQ(*p->component_dir("tokenizer"), root_ / "tokenizer");
}

TEST_F(PipelineFolderTest, ComponentErrors) {
  auto p = open_pipeline(root_.path());
  ASSERT_TRUE(p);
  test::expect_error(test::error_of(p->component("scheduler")), ErrorCode::kNotFound,
                     {"pipeline component 'scheduler'", "DPMSolverMultistepScheduler", "no config.json"});
  test::expect_error(test::error_of(p->component_class("unet")), ErrorCode::kNotFound,
                     {"model_index.json", "no component 'unet'"});
  test::expect_error(test::error_of(p->component_dir("safety_checker")), ErrorCode::kNotFound, {"safety_checker"});
  fs::remove_all(root_ / "vae");
  test::expect_error(test::error_of(p->component_dir("vae")), ErrorCode::kNotFound, {"'vae'", "no folder"});
}

TEST_F(PipelineFolderTest, MalformedModelIndex) {
  test::write_file(root_ / "model_index.json", R"({"_class_name": "P", "../evil": ["diffusers", "X"]})");
  test::expect_error(test::error_of(open_pipeline(root_.path())), ErrorCode::kFormat,
                     {"model_index.json", "'../evil'", "plain folder name"});
  test::write_file(root_ / "model_index.json", R"({"_class_name": "P", "vae": ["diffusers"]})");
  test::expect_error(test::error_of(open_pipeline(root_.path())), ErrorCode::kFormat,
                     {"model_index.json", "'vae'", "[library, class]"});
  test::write_file(root_ / "model_index.json", R"({"_class_name": 3})");
  test::expect_error(test::error_of(open_pipeline(root_.path())), ErrorCode::kFormat, {"'_class_name'"});
  fs::remove(root_ / "model_index.json");
  test::expect_error(test::error_of(open_pipeline(root_.path())), ErrorCode::kNotFound, {"no model_index.json"});
  test::expect_error(test::error_of(open_pipeline(root_ / "vae" / "config.json")), ErrorCode::kInvalidArgument,
                     {"is a file"});
}

}  // namespace
}  // namespace dc
