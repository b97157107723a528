// DC-AE decode benchmark (our side): a published AutoencoderDC config with
// random weights, decode of a random latent at each size; median time over
// iterations after warm-up (CUDA events on the GPU) and peak device memory.
// tests/bench/run_dcae_decode.sh runs this beside diffusers on the same shapes.
//
//   dc_bench_dcae_decode --config tests/data/dcae/published/dc-ae-f32c32-sana-1.0/config.json \
//       --sizes 1024,2048,4096 --device cuda --dtype bf16
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/base/assert.h"
#include "core/io/diffusers/config_reader.h"
#include "core/models/dcae/autoencoder_dc.h"
#include "core/ops/copy.h"
#include "core/ops/profile.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "tests/bench/bench_timing.h"
#include "tests/bench/random_weights.h"

using namespace dc;
using bench::median;
using bench::time_once_ms;

int main(int argc, char** argv) {
  CLI::App app{"DC-AE decode benchmark (ours)"};
  std::string config_path, device_name = "cuda", dtype_name = "bf16", label;
  std::vector<int> sizes{1024, 2048, 4096};
  int warmup = 2, iters = 5;
  bool tiled = false;
  app.add_option("--config", config_path, "AutoencoderDC config.json")->required();
  app.add_option("--sizes", sizes, "image sizes (square)")->delimiter(',');
  app.add_option("--device", device_name);
  app.add_option("--dtype", dtype_name);
  app.add_option("--warmup", warmup);
  app.add_option("--iters", iters);
  app.add_option("--label", label, "name printed in the table");
  app.add_flag("--tiled", tiled, "use decode_tiled (bounded memory)");
  CLI11_PARSE(app, argc, argv);

  auto reader = ConfigReader::from_file(config_path);
  if (!reader) return std::fprintf(stderr, "%s\n", reader.error().to_string().c_str()), 2;
  auto config = models::dcae::parse_dcae_config(*reader);
  if (!config) return std::fprintf(stderr, "%s\n", config.error().to_string().c_str()), 2;
  const Device device = device_name == "cuda" ? Device::cuda() : Device::cpu();
  const DType dtype = dtype_from_name(dtype_name).value_or(DType::kBF16);
  models::dcae::AutoencoderDC model(*config);
  Status loaded = bench::load_random_weights(model, {device, dtype}, 1234);
  if (!loaded) return std::fprintf(stderr, "%s\n", loaded.error().to_string().c_str()), 1;
  ops::reset_op_profile();  // time the decodes, not the weight initialisation
  const int64_t f = config->spatial_compression_ratio();
  if (label.empty()) label = "f" + std::to_string(f) + "c" + std::to_string(config->latent_channels);

  std::printf("%-12s %6s %12s %12s\n", "config", "size", "ours_ms", "ours_peak_GiB");
  for (int size : sizes) {
    Result<double> ms = catch_errors([&] {
      Tensor z = ops::randn({1, config->latent_channels, size / f, size / f}, 7, dtype, device);
      if (device.is_cuda()) {
        cuda_synchronize().value_or_throw();
        cuda_reset_peak_memory();
      }
      std::vector<double> times;
      Tensor out;
      for (int i = 0; i < warmup + iters; ++i) {
        out = Tensor();  // release the previous output before the next run
        const double t = time_once_ms(device, [&] { out = tiled ? model.decode_tiled(z, {}) : model.decode(z); });
        if (i >= warmup) times.push_back(t);
      }
      DC_CHECK(ops::all_finite(out), "decode produced non-finite values");
      return median(times);
    });
    const double peak = device.is_cuda() ? cuda_memory_stats().peak_allocated_bytes / double(1ull << 30) : 0.0;
    if (!ms) {
      std::printf("%-12s %6d %12s %12s  (%s)\n", label.c_str(), size, "error", "-", ms.error().to_string().c_str());
      continue;
    }
    std::printf("%-12s %6d %12.1f %12.2f\n", label.c_str(), size, *ms, peak);
    if (ops::op_profiling_enabled()) {
      std::fprintf(stderr, "op profile, %s %d (all iterations):\n%s", label.c_str(), size,
                   ops::op_profile_report().c_str());
      ops::reset_op_profile();
    }
    std::fflush(stdout);
  }
  return 0;
}
