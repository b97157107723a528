// Runs every registered OpCase (op_case.h) on the CPU reference and on CUDA:
// fresh random inputs per run (seed printed; DC_TEST_SEED repeats a run),
// non-constant input check, poisoned CUDA allocator, NaN/Inf check, rel-L2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>

#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "tests/common/test_util.h"
#include "tests/ops/op_case.h"

namespace dc::test {
namespace {

uint64_t run_seed() {
  static const uint64_t seed = fresh_seed();
  return seed;
}

uint64_t mix(uint64_t a, uint64_t b) { return (a ^ b) * 0x9E3779B97F4A7C15ull + (a >> 29); }

// CPU inputs exactly as the CUDA side gets them: drawn in f32, scaled, rounded to the dtype.
Inputs draw_inputs(const OpCase& c, DType dtype, uint64_t seed) {
  Inputs inputs;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const InputSpec& spec = c.inputs[i];
    const uint64_t s = mix(seed, i + 1);
    Tensor x = spec.uniform ? ops::rand(spec.shape, s) : ops::randn(spec.shape, s);
    if (spec.scale != 1.0f) x = ops::scale(x, spec.scale);
    if (spec.offset != 0.0f) x = ops::add(x, ops::full({1}, spec.offset, DType::kF32));
    inputs.push_back(ops::cast(x, spec.dtype.value_or(dtype)));
  }
  return inputs;
}

// Inputs must carry information: not all equal (one-element inputs: not zero).
void expect_informative(const Inputs& inputs) {
  for (const Tensor& t : inputs) {
    const std::vector<float> v = ops::to_f32_vector(t);
    if (v.size() == 1) {
      EXPECT_NE(v[0], 0.0f) << "one-element input " << t.describe() << " is zero";
    } else {
      expect_non_constant(t);
    }
  }
}

// Makes uninitialized CUDA memory NaN: returns the allocator's cache to the
// driver, then allocates blocks of every size class the case can request
// (512 B .. 64 MiB in powers of two, two each, plus the output's own size),
// fills them with 0xFF bytes (NaN in f32, bf16 and f16) and frees them. An op
// that leaves part of its output (or scratch it reads) unwritten shows NaN.
void poison_cuda_allocator(size_t output_bytes) {
  cuda_empty_cache();
  std::vector<Tensor> blocks;
  auto add = [&](size_t bytes) {
    Tensor t = ops::full({static_cast<int64_t>(bytes)}, 255.0f, DType::kU8, Device::cuda());
    blocks.push_back(t);
  };
  for (size_t bytes = 512; bytes <= (size_t{64} << 20); bytes *= 2) {
    add(bytes);
    add(bytes);
  }
  add(std::max<size_t>(output_bytes, 1));
  ASSERT_TRUE(cuda_synchronize().ok());
}

std::string case_name(const ::testing::TestParamInfo<OpCase>& info) {
  std::string name = std::to_string(info.index) + "_" + info.param.op + "_" + info.param.variant;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

class OpsParity : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpsParity, CudaMatchesCpuReference) {
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device: " << require_cuda().error().to_string();
  const OpCase& c = GetParam();
  int ran = 0;
  for (DType dtype : c.dtypes) {
    const uint64_t seed = mix(run_seed(), std::hash<std::string>()(c.describe(dtype)));
    SCOPED_TRACE(c.describe(dtype) + "  seed " + std::to_string(seed) + " (run seed " + std::to_string(run_seed()) +
                 ")");
    const Inputs cpu_in = draw_inputs(c, dtype, seed);
    expect_informative(cpu_in);
    const Tensor expected = c.run(cpu_in, {Device::cpu(), dtype, seed});

    Inputs cuda_in;
    for (const Tensor& t : cpu_in) cuda_in.push_back(ops::to_device(t, Device::cuda()));
    poison_cuda_allocator(expected.nbytes());
    Tensor got_cuda;
    try {
      got_cuda = c.run(cuda_in, {Device::cuda(), dtype, seed});
    } catch (const ErrorException& e) {
      if (e.error().code() != ErrorCode::kNotSupported) throw;
      std::printf("[ skipped ] %s: %s\n", c.describe(dtype).c_str(), e.what());
      continue;
    }
    ASSERT_TRUE(cuda_synchronize().ok());
    const Tensor got = ops::to_device(got_cuda, Device::cpu());
    ++ran;

    ASSERT_EQ(got.shape(), expected.shape());
    ASSERT_EQ(got.dtype(), expected.dtype());
    EXPECT_TRUE(ops::all_finite(expected)) << "CPU reference produced NaN/Inf";
    EXPECT_TRUE(ops::all_finite(got)) << "CUDA result has NaN/Inf (unwritten output or bad arithmetic)";
    const double err = ops::relative_l2(got, expected);
    EXPECT_LE(err, c.tolerance(dtype)) << "rel-L2 " << err << ", max |diff| " << ops::max_abs_diff(got, expected);

    if (c.check == Check::kNumeric && dtype != DType::kF32) {
      // Flash-attention style: both low-precision results against the f32 result
      // on the same (already rounded) inputs.
      Inputs f32_in;
      for (const Tensor& t : cpu_in) f32_in.push_back(ops::cast(t, DType::kF32));
      const Tensor reference = c.run(f32_in, {Device::cpu(), DType::kF32, seed});
      const double ref_err = ops::relative_l2(expected, reference);
      const double our_err = ops::relative_l2(got, reference);
      constexpr double kFactor = 2.0, kFloor = 1e-5;
      std::printf("[ ratio   ] %s: CUDA err %.3g, CPU %s err %.3g, ratio %.2f (k = %.0f)\n", c.describe(dtype).c_str(),
                  our_err, std::string(dtype_name(dtype)).c_str(), ref_err, ref_err > 0 ? our_err / ref_err : 0.0,
                  kFactor);
      EXPECT_LE(our_err, kFactor * ref_err + kFloor) << "CUDA error vs f32 exceeds " << kFactor
                                                     << "x the CPU low-precision error";
    }
  }
  if (ran == 0) GTEST_SKIP() << "every dtype of " << c.op << " is unsupported on this device";
}

INSTANTIATE_TEST_SUITE_P(Registry, OpsParity, ::testing::ValuesIn(all_op_cases()), case_name);

// Every backend function of core/ops/backend.h has at least one registered case.
TEST(OpsRegistry, CoversEveryBackendFunction) {
  const char* required[] = {"copy_strided", "fill",      "binary",          "scale",
                            "activation",   "gated_activation", "matmul", "linear",
                            "conv2d",       "rms_norm",  "layer_norm",      "rms_norm_channels",
                            "channel_affine", "pixel_shuffle", "pixel_unshuffle", "upsample_nearest2d",
                            "channel_group_mean", "repeat_interleave_channels", "add_shuffled_shortcut",
                            "relu_linear_attention", "random", "attention", "embedding", "rms_norm_rope",
                            "layer_norm_modulate", "gated_residual", "linear_rows", "rms_norm_rope_inplace",
                            "activation_inplace", "timestep_embedding"};
  const std::vector<OpCase> cases = all_op_cases();
  for (const char* op : required) {
    bool found = false;
    for (const OpCase& c : cases) found = found || c.op == op;
    EXPECT_TRUE(found) << "no parity case registered for " << op;
  }
}

}  // namespace
}  // namespace dc::test
