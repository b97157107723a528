// Shared helpers for DC Studio tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/ops/copy.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"

namespace dc::test {

inline std::filesystem::path data_dir() { return DC_TEST_DATA_DIR; }

// A fresh temporary directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Asserts a tensor is non-trivial input (not all equal), per STYLE.md convention 5.
void expect_non_constant(const Tensor& t);

// PSNR of two images in [-1, 1] after clamping and mapping to [0, 1] (what an 8-bit file
// holds); 200 dB when they are equal.
double image_psnr(const Tensor& a, const Tensor& b);

// Relative L2 error of `got` against a double-precision restatement `ref` of the
// same length (the absolute L2 error when `ref` is all zeros).
double rel_l2(const std::vector<float>& got, const std::vector<double>& ref);

// A per-run seed (printed) so repeated runs draw fresh inputs; DC_TEST_SEED pins it.
uint64_t fresh_seed();

}  // namespace dc::test
