// Tiled decode against the untiled decode of the same latent (CPU, f32).
#include <gtest/gtest.h>

#include <cmath>

#include "core/models/dcae/efficientvit_block.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "tests/common/test_util.h"
#include "tests/models/dcae_test_support.h"

namespace dc {
namespace {

// PSNR of `a` against `b` for images in [-1, 1] (peak-to-peak 2).
double psnr(const Tensor& a, const Tensor& b) {
  const auto av = ops::to_f32_vector(a), bv = ops::to_f32_vector(b);
  double se = 0;
  for (size_t i = 0; i < av.size(); ++i) se += (av[i] - bv[i]) * (av[i] - bv[i]);
  return 10 * std::log10(4.0 / (se / av.size()));
}

TEST(DCAETiledDecode, MatchesUntiledDecode) {
  for (const std::string name : test::dcae_golden_cases()) {
    auto model = models::dcae::AutoencoderDC::load(test::dcae_case_dir(name) / "vae", {});
    ASSERT_TRUE(model.ok()) << model.error().to_string();
    const int64_t c = (*model)->config().latent_channels;
    Tensor z = ops::randn({1, c, 24, 40}, test::fresh_seed());
    Tensor full = (*model)->decode(z);
    for (int64_t tile : {3, 8, 16}) {
      Tensor tiled = (*model)->decode_tiled(z, {.tile_latent = tile});
      ASSERT_EQ(tiled.shape(), full.shape());
      const double err = ops::relative_l2(tiled, full);
      std::printf("[%s] tile %lld: rel-L2 %.2e, PSNR %.1f dB\n", name.c_str(), static_cast<long long>(tile), err,
                  psnr(tiled, full));
      // The tail's halo covers its receptive field, so only summation order differs: f32 bound.
      EXPECT_LE(err, 1e-5) << name << " tile " << tile;
    }
    // Channels-last tiles (cut from a channels-last head) give the same image.
    (*model)->set_memory_format(models::dcae::MemoryFormat::kChannelsLast);
    const Tensor tiled_cl = (*model)->decode_tiled(z, {.tile_latent = 8});
    EXPECT_TRUE(tiled_cl.is_contiguous());
    EXPECT_LE(ops::relative_l2(tiled_cl, full), 1e-5) << name << " channels-last tiles";
  }
}

}  // namespace
}  // namespace dc

namespace dc {
namespace {

// GLUMBConv in row bands (forced tiny here) must equal the whole-image block.
TEST(DCAEBandedGLUMBConv, MatchesTheWholeImageBlock) {
  models::dcae::set_glumbconv_band_bytes(1);  // one row per band
  for (const std::string& name : test::dcae_golden_cases()) {
    const test::DCAEParity p = test::run_dcae_golden(name, {Device::cpu(), DType::kF32});
    EXPECT_LE(p.encode_rel_l2, 1e-4) << name;
    EXPECT_LE(p.decode_rel_l2, 1e-4) << name;
  }
  models::dcae::set_glumbconv_band_bytes(size_t{256} << 20);
}

}  // namespace
}  // namespace dc
