#include "tests/common/test_util.h"

#include <cstdlib>
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

uint64_t fresh_seed() {
  if (const char* env = std::getenv("DC_TEST_SEED")) return std::strtoull(env, nullptr, 10);
  static std::random_device rd;
  const uint64_t seed = (static_cast<uint64_t>(rd()) << 32) | rd();
  std::printf("[seed] %llu (set DC_TEST_SEED to repeat)\n", static_cast<unsigned long long>(seed));
  return seed;
}

}  // namespace dc::test
