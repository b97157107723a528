#include "tests/common/test_util.h"

#include <cstdlib>
#include <algorithm>
#include <cmath>
#include <random>

namespace dc::test {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("dc_test_" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void expect_non_constant(const Tensor& t) {
  const std::vector<float> v = ops::to_f32_vector(t);
  ASSERT_FALSE(v.empty());
  bool varied = false;
  for (float x : v) varied |= x != v.front();
  EXPECT_TRUE(varied) << "test input " << t.describe() << " is constant";
}

double rel_l2(const std::vector<float>& got, const std::vector<double>& ref) {
  EXPECT_EQ(got.size(), ref.size());
  double num = 0, den = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    num += (got[i] - ref[i]) * (got[i] - ref[i]);
    den += ref[i] * ref[i];
  }
  return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

uint64_t fresh_seed() {
  if (const char* env = std::getenv("DC_TEST_SEED")) return std::strtoull(env, nullptr, 10);
  static std::random_device rd;
  const uint64_t seed = (static_cast<uint64_t>(rd()) << 32) | rd();
  std::printf("[seed] %llu (set DC_TEST_SEED to repeat)\n", static_cast<unsigned long long>(seed));
  return seed;
}

double image_psnr(const Tensor& a, const Tensor& b) {
  const Tensor x = ops::contiguous(ops::cast(ops::to_device(a, Device::cpu()), DType::kF32));
  const Tensor y = ops::contiguous(ops::cast(ops::to_device(b, Device::cpu()), DType::kF32));
  double se = 0;
  for (int64_t i = 0; i < x.numel(); ++i) {
    const double u = std::clamp(x.data<float>()[i], -1.0f, 1.0f) * 0.5 + 0.5;
    const double v = std::clamp(y.data<float>()[i], -1.0f, 1.0f) * 0.5 + 0.5;
    se += (u - v) * (u - v);
  }
  const double mse = se / static_cast<double>(x.numel());
  return mse == 0 ? 200.0 : 10.0 * std::log10(1.0 / mse);
}

}  // namespace dc::test
