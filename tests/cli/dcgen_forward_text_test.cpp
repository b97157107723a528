// `dcgen forward` on the transformers text encoders (CLIPTextModel,
// T5EncoderModel) through the built binary: parity with the transformers goldens
// and exit code 2 with a message naming the input for bad input.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <sys/wait.h>

#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/reduce.h"
#include "tests/cli/dcgen_runner.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using test::CliRun;
using test::dcgen;
using test::q;

const std::filesystem::path kData = test::data_dir() / "text_encoders";
const std::filesystem::path kClip = kData / "clip_quick_gelu_legacy_eos";
const std::filesystem::path kT5 = kData / "t5_gated_gelu_v1_1";

Tensor golden(const std::filesystem::path& c, const char* name) {
  return SafetensorsFile::open(c / "golden.safetensors").value_or_throw()->tensor(name).value_or_throw();
}

CliRun forward(const std::filesystem::path& model, const test::TempDir& tmp,
               const std::vector<std::pair<std::string, Tensor>>& inputs, const std::string& extra = "") {
  EXPECT_TRUE(write_safetensors(tmp / "in.safetensors", inputs));
  return dcgen("forward " + q(model) + " " + q(tmp / "in.safetensors") + " " + q(tmp / "out.safetensors") + extra);
}

TEST(DcgenForwardText, ClipTextModelMatchesTransformers) {
  test::TempDir tmp;
  const CliRun r = forward(kClip / "text_encoder", tmp,
                           {{"input_ids", golden(kClip, "input_ids")}, {"attention_mask", golden(kClip, "attention_mask")}});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto out = SafetensorsFile::open(tmp / "out.safetensors");
  ASSERT_TRUE(out.ok());
  for (const char* name : {"last_hidden_state", "pooler_output", "penultimate_hidden_state"}) {
    const Tensor ours = (*out)->tensor(name).value_or_throw();
    EXPECT_EQ(ours.dtype(), DType::kF32) << name;
    EXPECT_LE(ops::relative_l2(ours, golden(kClip, ("masked_" + std::string(name)).c_str())), 1e-4) << name;
  }
}

TEST(DcgenForwardText, T5EncoderModelMatchesTransformersWithAndWithoutMask) {
  test::TempDir tmp;
  CliRun r = forward(kT5 / "text_encoder_2", tmp, {{"input_ids", golden(kT5, "input_ids")}});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto out = SafetensorsFile::open(tmp / "out.safetensors");
  ASSERT_TRUE(out.ok());
  EXPECT_LE(ops::relative_l2((*out)->tensor("last_hidden_state").value_or_throw(), golden(kT5, "last_hidden_state")), 1e-4);

  r = forward(kT5 / "text_encoder_2", tmp,
              {{"input_ids", golden(kT5, "input_ids")}, {"attention_mask", golden(kT5, "attention_mask")}}, " --dtype bf16");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  out = SafetensorsFile::open(tmp / "out.safetensors");
  ASSERT_TRUE(out.ok());
  const double err = ops::relative_l2((*out)->tensor("last_hidden_state").value_or_throw(),
                                      golden(kT5, "masked_last_hidden_state"));
  EXPECT_LE(err, 3e-2);  // transformers' own bf16 error on this case is 1.3e-2
  EXPECT_GT(err, 0.0);   // it really ran in bf16
}

TEST(DcgenForwardText, BadInputsAreExitCode2NamingTheInput) {
  test::TempDir tmp;
  const auto model = kT5 / "text_encoder_2";
  CliRun r = forward(model, tmp, {{"ids", golden(kT5, "input_ids")}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'input_ids'"), std::string::npos) << r.output;

  r = forward(model, tmp, {{"input_ids", ops::randn({2, 5}, 1)}});  // float ids
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'input_ids'"), std::string::npos) << r.output;

  r = forward(model, tmp, {{"input_ids", Tensor::from_vector_i64({1, 2, 3}, {3})}});  // rank 1
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("[batch, length]"), std::string::npos) << r.output;

  r = forward(model, tmp, {{"input_ids", Tensor::from_vector_i64({1, 2, 128, 3}, {2, 2})}});  // vocab is 128
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("id 128"), std::string::npos) << r.output;

  r = forward(model, tmp, {{"input_ids", Tensor::from_vector_i64({1, 2, 3, 4}, {2, 2})},
                           {"attention_mask", Tensor::from_vector_i64({1, 1, 1}, {1, 3})}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'attention_mask'"), std::string::npos) << r.output;

  r = forward(kClip / "text_encoder", tmp, {{"input_ids", Tensor::from_vector_i64(std::vector<int64_t>(17, 5), {1, 17})}});
  EXPECT_EQ(r.exit_code, 2);  // max_position_embeddings is 16
  EXPECT_NE(r.output.find("max_position_embeddings"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(tmp / "out.safetensors"));
}

}  // namespace
}  // namespace dc
