#include "core/tensor/tensor.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/ops/copy.h"

namespace dc {
namespace {

Tensor iota(const Shape& shape) {
  std::vector<float> v(shape_numel(shape));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
  return Tensor::from_vector(v, shape);
}

TEST(Tensor, ViewsShareStorageAndIndexLikeTorch) {
  Tensor x = iota({2, 3, 4});
  Tensor p = x.permute({2, 0, 1});  // [4, 2, 3]
  EXPECT_EQ(p.shape(), (Shape{4, 2, 3}));
  EXPECT_FALSE(p.is_contiguous());
  EXPECT_EQ(p.storage(), x.storage());
  std::vector<float> c = ops::to_f32_vector(p);
  // p[k, i, j] = x[i, j, k] = i*12 + j*4 + k
  EXPECT_EQ(c[1 * 6 + 1 * 3 + 2], 1 * 12 + 2 * 4 + 1);
  Tensor s = x.slice(2, 1, 3).select(0, 1);  // x[1, :, 1:3]
  EXPECT_EQ(ops::to_f32_vector(s), (std::vector<float>{13, 14, 17, 18, 21, 22}));
}

TEST(Tensor, UnflattenFlattenRoundTrip) {
  Tensor x = iota({2, 12, 5});
  Tensor u = x.unflatten(1, {-1, 4});
  EXPECT_EQ(u.shape(), (Shape{2, 3, 4, 5}));
  EXPECT_EQ(u.flatten(1, 2).shape(), x.shape());
  EXPECT_EQ(ops::to_f32_vector(u), ops::to_f32_vector(x));
}

TEST(Tensor, InvalidViewsThrowErrors) {
  Tensor x = iota({2, 3});
  EXPECT_THROW(x.view({4, 2}), ErrorException);
  EXPECT_THROW(x.transpose(0, 1).view({6}), ErrorException);
  EXPECT_THROW(x.slice(1, 2, 5), ErrorException);
  EXPECT_THROW(x.permute({0, 0}), ErrorException);
}

TEST(Tensor, ExpandBroadcastsWithZeroStride) {
  Tensor b = iota({3, 1});
  Tensor e = b.expand({2, 3, 4});
  EXPECT_EQ(e.stride(0), 0);
  EXPECT_EQ(e.stride(2), 0);
  std::vector<float> v = ops::to_f32_vector(e);
  EXPECT_EQ(v[1 * 12 + 2 * 4 + 3], 2.0f);
}

TEST(DType, BF16AndF16RoundTripNearestEven) {
  EXPECT_EQ(bf16_to_f32(f32_to_bf16(1.0f)), 1.0f);
  // 1 + 2^-8 is exactly halfway between two bf16 values: ties to even (1.0).
  EXPECT_EQ(bf16_to_f32(f32_to_bf16(1.0f + 1.0f / 256)), 1.0f);
  EXPECT_EQ(bf16_to_f32(f32_to_bf16(1.0f + 3.0f / 256)), 1.0f + 4.0f / 256);
  EXPECT_EQ(f16_to_f32(f32_to_f16(65504.0f)), 65504.0f);
  EXPECT_EQ(f16_to_f32(f32_to_f16(5.9604645e-8f)), 5.9604645e-8f);  // smallest subnormal
  EXPECT_EQ(f16_to_f32(f32_to_f16(1.0f + 1.0f / 2048)), 1.0f);      // tie to even
  EXPECT_EQ(f8e4m3_to_f32(f32_to_f8e4m3(448.0f)), 448.0f);
  EXPECT_EQ(f8e4m3_to_f32(f32_to_f8e4m3(1000.0f)), 448.0f);  // saturates
  EXPECT_EQ(f8e4m3_to_f32(f32_to_f8e4m3(0.1f)), 0.1015625f);
}

TEST(Tensor, CastRoundTripsThroughEveryFloatType) {
  Tensor x = Tensor::from_vector({0.5f, -2.0f, 3.25f, 100.0f}, {4});
  for (DType d : {DType::kBF16, DType::kF16, DType::kF64}) {
    EXPECT_EQ(ops::to_f32_vector(ops::cast(x, d)), ops::to_f32_vector(x)) << dtype_name(d);
  }
}

}  // namespace
}  // namespace dc
