// cuDNN SDPA beside our flash kernel (gpu/cuda/attention/cudnn_sdpa.h), called directly
// on the same inputs: cuDNN must take the shapes the models run (FLUX joint attention,
// T5 with its bias and right-padded prompts, CLIP causal, cross attention over padded
// keys) and be as accurate as the flash kernel against the f32 CPU reference; requests
// it cannot take come back as refusals with nothing written; ops::attention reaches it
// unless DC_ATTENTION_BACKEND=flash. (The op registry's attention cases run through
// whichever backend the dispatch picks; ctest runs them once more with
// DC_ATTENTION_BACKEND=flash.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "gpu/cuda/attention/cudnn_sdpa.h"
#include "gpu/cuda/attention/flash_attention.h"

namespace dc::test {
namespace {

struct Problem {
  Tensor q, k, v;  // CUDA, token-major views
  float scale = 0.0f;
  bool causal = false;
  Tensor bias;      // CUDA f32 [1, H, Lq, Lk] or undefined
  Tensor key_mask;  // CUDA u8 [B, Lk] or undefined
};

// q, k, v as slices of one fused [B, L, 3, H, D] projection, as the models pass them.
Problem fused(int64_t b, int64_t l, int64_t h, int64_t d, DType dtype, uint64_t seed) {
  const Tensor qkv = ops::randn({b, l, 3, h, d}, seed, dtype, Device::cuda());
  return {qkv.select(2, 0), qkv.select(2, 1), qkv.select(2, 2)};
}

// u8 [B, Lk]: batch i attends its first lengths[i] keys.
Tensor right_padding(const std::vector<int64_t>& lengths, int64_t keys) {
  Tensor m = Tensor::empty({static_cast<int64_t>(lengths.size()), keys}, DType::kU8);
  for (size_t b = 0; b < lengths.size(); ++b)
    for (int64_t j = 0; j < keys; ++j) m.data<uint8_t>()[b * keys + j] = j < lengths[b];
  return ops::to_device(m, Device::cuda());
}

gpu::AttentionParams params_for(const Tensor& out, const Problem& pr) {
  gpu::AttentionParams p;
  p.out = out.data_ptr();
  p.q = pr.q.data_ptr(), p.k = pr.k.data_ptr(), p.v = pr.v.data_ptr();
  p.dtype = pr.q.dtype() == DType::kBF16 ? gpu::DataType::kBF16
            : pr.q.dtype() == DType::kF16 ? gpu::DataType::kF16
                                          : gpu::DataType::kF32;
  p.batch = pr.q.size(0), p.q_len = pr.q.size(1), p.heads = pr.q.size(2), p.head_dim = pr.q.size(3);
  p.kv_len = pr.k.size(1);
  auto strides = [](const Tensor& t) { return gpu::TokenMajorStrides{t.stride(0), t.stride(1), t.stride(2)}; };
  p.q_strides = strides(pr.q), p.k_strides = strides(pr.k), p.v_strides = strides(pr.v);
  p.scale = pr.scale != 0.0f ? pr.scale : 1.0f / std::sqrt(static_cast<float>(p.head_dim));
  p.causal = pr.causal;
  if (pr.bias.defined()) {
    p.bias = pr.bias.data<float>();
    p.bias_strides[0] = pr.bias.size(0) == 1 ? 0 : pr.bias.stride(0);
    for (int d = 1; d < 4; ++d) p.bias_strides[d] = pr.bias.stride(d);
  }
  p.key_mask = pr.key_mask.defined() ? pr.key_mask.data<uint8_t>() : nullptr;
  p.stream = static_cast<cudaStream_t>(current_cuda_stream());
  return p;
}

Tensor empty_out(const Problem& pr) {
  return Tensor::empty({pr.q.size(0), pr.q.size(1), pr.q.size(2), pr.q.size(3)}, pr.q.dtype(), Device::cuda());
}

// cuDNN on the problem: whether it took it (the reason in *why when not).
bool run_cudnn(const Tensor& out, const Problem& pr, std::string* why) {
  Tensor workspace;
  auto scratch = [&](size_t bytes) {
    workspace = Tensor::empty({static_cast<int64_t>(bytes)}, DType::kU8, Device::cuda());
    return workspace.data_ptr();
  };
  bool supported = false;
  const std::string e = gpu::cudnn_sdpa(params_for(out, pr), scratch, &supported, why);
  EXPECT_EQ(e, "");
  EXPECT_TRUE(cuda_synchronize().ok());
  return supported;
}

Tensor on_cpu_f32(const Tensor& t) { return ops::to_device(ops::cast(ops::contiguous(t), DType::kF32), Device::cpu()); }

// The f32 CPU result on the same (rounded) inputs.
Tensor reference(const Problem& pr) {
  ops::AttentionOptions o{.scale = pr.scale, .causal = pr.causal};
  if (pr.bias.defined()) o.bias = on_cpu_f32(pr.bias);
  if (pr.key_mask.defined()) o.key_mask = ops::to_device(pr.key_mask, Device::cpu());
  return ops::attention(on_cpu_f32(pr.q), on_cpu_f32(pr.k), on_cpu_f32(pr.v), o);
}

bool skip_without_cudnn(std::string* why) {
  if (!cuda_available()) {
    *why = "no CUDA device";
    return true;
  }
  return !gpu::cudnn_sdpa_available(why);
}

// cuDNN takes the problem and is as accurate as the flash kernel (both measured
// against the f32 CPU result; both round the probabilities and the output to the
// input type, so their errors are alike: k = 2, as in the op registry's ratio check).
void expect_cudnn_matches_flash(const char* name, const Problem& pr) {
  SCOPED_TRACE(name);
  const Tensor flash_out = empty_out(pr), cudnn_out = empty_out(pr);
  ASSERT_EQ(gpu::flash_attention(params_for(flash_out, pr)), "");
  std::string why;
  ASSERT_TRUE(run_cudnn(cudnn_out, pr, &why)) << why;
  const Tensor want = reference(pr);
  const double flash_err = ops::relative_l2(on_cpu_f32(flash_out), want);
  const double cudnn_err = ops::relative_l2(on_cpu_f32(cudnn_out), want);
  std::printf("[ cudnn   ] %s: rel-L2 vs f32 CPU: cuDNN %.3g, flash %.3g\n", name, cudnn_err, flash_err);
  EXPECT_TRUE(ops::all_finite(on_cpu_f32(cudnn_out)));
  EXPECT_LE(cudnn_err, 2.0 * flash_err + 1e-5);
  EXPECT_LE(cudnn_err, 2e-2);  // the registry's bf16/f16 attention tolerance
}

TEST(CudnnSdpaAttention, TakesTheModelsShapesAsAccuratelyAsFlash) {
  std::string why;
  if (skip_without_cudnn(&why)) GTEST_SKIP() << why;
  expect_cudnn_matches_flash("FLUX joint d=128 L=700 bf16", fused(1, 700, 3, 128, DType::kBF16, 11));
  expect_cudnn_matches_flash("FLUX joint d=128 L=300 f16", fused(1, 300, 2, 128, DType::kF16, 12));

  Problem clip = fused(2, 77, 3, 64, DType::kBF16, 13);
  clip.causal = true;
  expect_cudnn_matches_flash("CLIP causal d=64 L=77", clip);

  Problem t5 = fused(2, 64, 4, 64, DType::kBF16, 14);
  t5.scale = 1.0f;
  t5.bias = ops::randn({1, 4, 64, 64}, 15, DType::kF32, Device::cuda());
  t5.key_mask = right_padding({64, 41}, 64);
  expect_cudnn_matches_flash("T5 scale 1, bias [1,H,L,L], right-padded prompt", t5);

  Problem cross;
  cross.q = ops::randn({2, 33, 2, 64}, 16, DType::kBF16, Device::cuda());
  cross.k = ops::randn({2, 80, 2, 64}, 17, DType::kBF16, Device::cuda());
  cross.v = ops::randn({2, 80, 2, 64}, 18, DType::kBF16, Device::cuda());
  cross.key_mask = right_padding({57, 80}, 80);
  expect_cudnn_matches_flash("cross Lq=33 Lk=80, padded keys", cross);

  Problem full_mask = fused(2, 64, 2, 64, DType::kBF16, 19);
  full_mask.key_mask = right_padding({64, 64}, 64);  // all ones: run without a padding mask
  expect_cudnn_matches_flash("key mask of all ones", full_mask);
}

// Refused requests leave the output as it was (the caller then runs the flash kernel).
void expect_refused(const char* name, const Problem& pr) {
  SCOPED_TRACE(name);
  const Tensor out = ops::full({pr.q.size(0), pr.q.size(1), pr.q.size(2), pr.q.size(3)}, 7.0f, pr.q.dtype(),
                               Device::cuda());
  std::string why;
  EXPECT_FALSE(run_cudnn(out, pr, &why));
  EXPECT_FALSE(why.empty());
  std::printf("[ refused ] %s: %s\n", name, why.c_str());
  EXPECT_EQ(ops::max_abs_diff(on_cpu_f32(out), ops::full(out.shape(), 7.0f, DType::kF32)), 0.0);
}

TEST(CudnnSdpaAttention, RefusesWhatItCannotTake) {
  std::string why;
  if (skip_without_cudnn(&why)) GTEST_SKIP() << why;
  expect_refused("f32", fused(1, 64, 2, 64, DType::kF32, 21));
  expect_refused("head dim 20", fused(1, 64, 2, 20, DType::kBF16, 22));
  Problem holes = fused(2, 64, 2, 64, DType::kBF16, 23);
  Tensor m = Tensor::empty({2, 64}, DType::kU8);
  for (int64_t j = 0; j < 128; ++j) m.data<uint8_t>()[j] = j % 5 != 0;  // keys 0, 5, 10... ignored
  holes.key_mask = ops::to_device(m, Device::cuda());
  expect_refused("key mask with holes", holes);
  Problem empty_sample = fused(2, 64, 2, 64, DType::kBF16, 24);
  empty_sample.key_mask = right_padding({64, 0}, 64);
  expect_refused("a sample with no key", empty_sample);
  Problem key_bias = fused(1, 64, 2, 64, DType::kBF16, 25);
  key_bias.bias = ops::randn({64}, 26, DType::kF32, Device::cuda()).expand({1, 2, 64, 64});
  expect_refused("bias broadcast along queries", key_bias);
}

// ops::attention's dispatch: cuDNN first for bf16, unless DC_ATTENTION_BACKEND=flash.
TEST(CudnnSdpaAttention, OpsAttentionDispatch) {
  std::string why;
  if (skip_without_cudnn(&why)) GTEST_SKIP() << why;
  const char* env = std::getenv("DC_ATTENTION_BACKEND");
  const bool flash_only = env && std::strcmp(env, "flash") == 0;
  const Problem pr = fused(1, 256, 2, 128, DType::kBF16, 31);
  const uint64_t before = gpu::cudnn_sdpa_run_count();
  const Tensor out = ops::attention(pr.q, pr.k, pr.v);
  ASSERT_TRUE(cuda_synchronize().ok());
  EXPECT_EQ(gpu::cudnn_sdpa_run_count() - before, flash_only ? 0u : 1u);
  EXPECT_LE(ops::relative_l2(on_cpu_f32(out), reference(pr)), 2e-2);
}

}  // namespace
}  // namespace dc::test
