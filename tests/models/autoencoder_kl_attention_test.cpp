// attention_split_head_dim (the AutoencoderKL mid-block attention for heads wider
// than the fused CUDA kernels take) against ops::attention on fresh random inputs.
#include <gtest/gtest.h>

#include "core/models/autoencoder_kl/wide_head_attention.h"
#include "core/ops/attention.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"

namespace dc {
namespace {

using models::autoencoder_kl::attention_split_head_dim;
using models::autoencoder_kl::SplitHeadDimOptions;

struct SplitCase {
  int64_t batch, lq, lk, heads, dim, max_head_dim, max_bias_elements;
};

class SplitHeadDim : public ::testing::TestWithParam<SplitCase> {};

TEST_P(SplitHeadDim, EqualsUnsplitAttention) {
  const SplitCase c = GetParam();
  const uint64_t seed = test::fresh_seed();
  // Scores of a few units so the softmax is far from uniform.
  const Tensor q = ops::scale(ops::randn({c.batch, c.lq, c.heads, c.dim}, seed), 2.0f);
  const Tensor k = ops::randn({c.batch, c.lk, c.heads, c.dim}, seed + 1);
  const Tensor v = ops::randn({c.batch, c.lk, c.heads, c.dim}, seed + 2);
  const SplitHeadDimOptions options{.max_head_dim = c.max_head_dim, .max_bias_elements = c.max_bias_elements};
  const Tensor expected = ops::attention(q, k, v);
  const Tensor got = attention_split_head_dim(q, k, v, options);
  ASSERT_EQ(got.shape(), expected.shape());
  EXPECT_LE(ops::relative_l2(got, expected), 1e-5);

  const Tensor qb = ops::cast(q, DType::kBF16), kb = ops::cast(k, DType::kBF16), vb = ops::cast(v, DType::kBF16);
  const Tensor got_bf16 = attention_split_head_dim(qb, kb, vb, options);
  EXPECT_EQ(got_bf16.dtype(), DType::kBF16);
  EXPECT_LE(ops::relative_l2(got_bf16, ops::attention(qb, kb, vb)), 1e-2);
}

INSTANTIATE_TEST_SUITE_P(Shapes, SplitHeadDim,
                         ::testing::Values(SplitCase{1, 24, 24, 1, 20, 8, 1 << 20},  // chunks 8 + 8 + 4 padded
                                           SplitCase{2, 17, 9, 2, 16, 8, 40},        // query blocks of 2 rows
                                           SplitCase{1, 5, 7, 1, 9, 8, 1},           // one-row blocks, 1-wide rest
                                           SplitCase{1, 6, 6, 1, 8, 8, 1 << 20},     // no split: the plain call
                                           SplitCase{1, 12, 12, 1, 512, 256, 48}));  // FLUX.1's mid-block width

TEST(SplitHeadDim, RejectsMismatchedOperands) {
  const Tensor q = ops::randn({1, 4, 1, 16}, 1), k = ops::randn({1, 5, 1, 16}, 2);
  EXPECT_THROW(attention_split_head_dim(q, k, ops::randn({1, 5, 1, 12}, 3), {.max_head_dim = 8}), ErrorException);
  EXPECT_THROW(attention_split_head_dim(q, k, k, {.max_head_dim = 0}), ErrorException);
}

}  // namespace
}  // namespace dc
