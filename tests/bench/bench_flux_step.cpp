// FLUX transformer step benchmark (our side), and the end-to-end 4K DC-Gen-FLUX
// shape (steps + DC-AE decode). Random weights in the published layout
// (tests/bench/data/flux1-dev-transformer.json: FLUX.1 12B), batch 1, 512 text
// tokens, median of CUDA-event timings after warm-up, peak device memory.
// tests/bench/run_flux_step.sh runs this beside diffusers on the same shapes.
//
//   dc_bench_flux_step --config tests/bench/data/flux1-dev-transformer.json --cases 1024,2048,4k-dcgen-f64
//   dc_bench_flux_step --config ... --e2e-dcae tests/data/dcae/published/dc-ae-f64c128-in-1.0/config.json
#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "core/base/assert.h"
#include "core/io/diffusers/config_reader.h"
#include "core/models/dcae/autoencoder_dc.h"
#include "core/models/flux/flux_transformer.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/profile.h"
#include "core/ops/random.h"
#include "core/ops/reduce.h"
#include "core/tensor/cuda_context.h"
#include "tests/bench/bench_timing.h"
#include "tests/bench/random_weights.h"

using namespace dc;
using bench::median;
using bench::time_once_ms;

namespace {

struct StepCase {
  int64_t side;      // image tokens per side
  int64_t channels;  // channels per token
};
const std::map<std::string, StepCase> kCases = {
    {"1024", {64, 64}},           // FLUX.1 1024²: f8 VAE latent 128², packed 2x2
    {"2048", {128, 64}},          // FLUX.1 2048²
    {"4k-dcgen-f64", {64, 128}},  // DC-Gen-FLUX 4096²: DC-AE f64c128 latent 64², 1x1 patches
};

// (0, row, col) ids as FluxPipeline builds them.
Tensor image_ids(int64_t side) {
  std::vector<float> ids(static_cast<size_t>(side * side * 3), 0.0f);
  for (int64_t r = 0; r < side; ++r)
    for (int64_t c = 0; c < side; ++c) {
      ids[static_cast<size_t>((r * side + c) * 3 + 1)] = static_cast<float>(r);
      ids[static_cast<size_t>((r * side + c) * 3 + 2)] = static_cast<float>(c);
    }
  return Tensor::from_vector(ids, {side * side, 3});
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"FLUX transformer step benchmark (ours)"};
  std::string config_path, cases = "1024,2048,4k-dcgen-f64", dcae_config, dtype_name = "bf16";
  int warmup = 2, iters = 5, text_tokens = 512, e2e_steps = 20;
  app.add_option("--config", config_path, "FluxTransformer2DModel config.json")->required();
  app.add_option("--cases", cases, "comma-separated: 1024, 2048, 4k-dcgen-f64");
  app.add_option("--dtype", dtype_name);
  app.add_option("--warmup", warmup);
  app.add_option("--iters", iters);
  app.add_option("--text-tokens", text_tokens);
  app.add_option("--e2e-dcae", dcae_config, "also time steps + tiled decode at 4096² with this AutoencoderDC config");
  app.add_option("--e2e-steps", e2e_steps);
  CLI11_PARSE(app, argc, argv);

  const Device device = Device::cuda();
  if (Status s = require_cuda(); !s) return std::fprintf(stderr, "%s\n", s.error().to_string().c_str()), 2;
  const DType dtype = dtype_from_name(dtype_name).value_or(DType::kBF16);
  auto reader = ConfigReader::from_file(config_path);
  if (!reader) return std::fprintf(stderr, "%s\n", reader.error().to_string().c_str()), 2;
  auto base = models::flux::parse_flux_config(*reader);
  if (!base) return std::fprintf(stderr, "%s\n", base.error().to_string().c_str()), 2;

  std::printf("%-14s %6s %10s %13s\n", "case", "tokens", "ours_ms", "ours_peak_GiB");
  std::unique_ptr<models::flux::FluxTransformer> model;
  int64_t model_channels = 0;
  auto build = [&](int64_t channels) -> Status {
    if (model && model_channels == channels) return {};
    model.reset();
    cuda_empty_cache();
    models::flux::FluxConfig cfg = *base;
    cfg.in_channels = cfg.out_channels = channels;
    model = std::make_unique<models::flux::FluxTransformer>(cfg);
    model_channels = channels;
    return bench::load_random_weights(*model, {device, dtype}, 4321);
  };
  const models::flux::FluxConfig& c = *base;
  auto step_inputs = [&](const StepCase& sc, models::flux::FluxRope& rope) -> Result<models::flux::FluxInputs> {
    models::flux::FluxInputs in;
    const int64_t n = sc.side * sc.side;
    in.hidden_states = ops::randn({1, n, sc.channels}, 1, dtype, device);
    in.encoder_hidden_states = ops::randn({1, text_tokens, c.joint_attention_dim}, 2, dtype, device);
    in.pooled_projections = ops::randn({1, c.pooled_projection_dim}, 3, dtype, device);
    in.timestep = ops::full({1}, 0.5f, DType::kF32, device);
    if (c.guidance_embeds) in.guidance = ops::full({1}, 3.5f, DType::kF32, device);
    DC_TRY(rope, model->prepare_rope(image_ids(sc.side),
                                     Tensor::from_vector(std::vector<float>(text_tokens * 3, 0.0f), {text_tokens, 3})));
    in.rope = &rope;
    return in;
  };

  for (const std::string& name : [&] {
         std::vector<std::string> v;
         for (size_t p = 0, q; p <= cases.size(); p = q + 1) {
           q = cases.find(',', p);
           if (q == std::string::npos) q = cases.size();
           if (q > p) v.push_back(cases.substr(p, q - p));
         }
         return v;
       }()) {
    auto it = kCases.find(name);
    if (it == kCases.end()) return std::fprintf(stderr, "unknown case %s\n", name.c_str()), 2;
    const StepCase sc = it->second;
    Result<double> ms = catch_errors([&]() -> double {
      build(sc.channels).value_or_throw();
      models::flux::FluxRope rope;
      models::flux::FluxInputs in = step_inputs(sc, rope).value_or_throw();
      ops::reset_op_profile();
      cuda_synchronize().value_or_throw();
      cuda_reset_peak_memory();
      std::vector<double> times;
      Tensor out;
      for (int i = 0; i < warmup + iters; ++i) {
        out = Tensor();
        const double t = time_once_ms(device, [&] { out = model->forward(in); });
        if (i >= warmup) times.push_back(t);
      }
      DC_CHECK(ops::all_finite(out), "the step produced non-finite values");
      return median(times);
    });
    const double peak = cuda_memory_stats().peak_allocated_bytes / double(1ull << 30);
    if (!ms) {
      std::printf("%-14s %6lld %10s %13s  (%s)\n", name.c_str(), static_cast<long long>(sc.side * sc.side), "error",
                  "-", ms.error().to_string().c_str());
      continue;
    }
    std::printf("%-14s %6lld %10.1f %13.2f\n", name.c_str(), static_cast<long long>(sc.side * sc.side), *ms, peak);
    std::fflush(stdout);
    if (ops::op_profiling_enabled()) {
      std::fprintf(stderr, "op profile, %s (all iterations):\n%s", name.c_str(), ops::op_profile_report().c_str());
    }
  }

  if (!dcae_config.empty()) {
    // End to end at the 4K DC-Gen-FLUX shape: e2e_steps transformer steps with Euler
    // updates, then the tiled DC-AE decode of the 64² latent to 4096².
    Result<double> ms = catch_errors([&]() -> double {
      const StepCase sc = kCases.at("4k-dcgen-f64");
      build(sc.channels).value_or_throw();
      auto ae_reader = ConfigReader::from_file(dcae_config).value_or_throw();
      auto ae_cfg = models::dcae::parse_dcae_config(ae_reader).value_or_throw();
      models::dcae::AutoencoderDC vae(ae_cfg);
      bench::load_random_weights(vae, {device, dtype}, 99).value_or_throw();
      models::flux::FluxRope rope;
      models::flux::FluxInputs in = step_inputs(sc, rope).value_or_throw();
      cuda_synchronize().value_or_throw();
      cuda_reset_peak_memory();
      std::vector<double> times;
      for (int i = 0; i < 1 + 2; ++i) {
        Tensor image;
        const double t = time_once_ms(device, [&] {
          Tensor latents = in.hidden_states;
          for (int s = 0; s < e2e_steps; ++s) {
            models::flux::FluxInputs step = in;
            step.hidden_states = latents;
            const Tensor v = model->forward(step);
            latents = ops::add(latents, ops::scale(v, -1.0f / e2e_steps));
          }
          const Tensor z = ops::contiguous(latents.view({1, sc.side, sc.side, sc.channels}).permute({0, 3, 1, 2}));
          image = vae.decode_tiled(z, {});
        });
        if (i >= 1) times.push_back(t);
      }
      return median(times);
    });
    const double peak = cuda_memory_stats().peak_allocated_bytes / double(1ull << 30);
    if (ms) {
      std::printf("%-14s %6d %10.1f %13.2f\n", "e2e-4k-dcgen", e2e_steps, *ms, peak);
    } else {
      std::printf("%-14s %6d %10s %13s  (%s)\n", "e2e-4k-dcgen", e2e_steps, "error", "-",
                  ms.error().to_string().c_str());
    }
  }
  return 0;
}
