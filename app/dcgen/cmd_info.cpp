// dcgen info: what this build and machine can run, and with --model what a
// pipeline folder holds (how dcgen generate would run it).
#include <cstdio>
#include <memory>
#include <string>

#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"
#include "core/base/thread_pool.h"
#include "core/pipeline/component_forward.h"
#include "core/pipeline/flux_pipeline.h"
#include "core/pipeline/memory_budget.h"
#include "core/tensor/cuda_context.h"

namespace dcgen {
namespace {

const char* shift_name(dc::pipeline::SigmaShift s) {
  return s == dc::pipeline::SigmaShift::kFlux2 ? "flux2 (DC-Gen warp)" : "flux (FluxPipeline: the scheduler config's shift)";
}

// Opens the folder as generate would (tokenizers and configs only; weights stay on disk).
int print_pipeline(const std::string& folder) {
  auto pipe = dc::pipeline::FluxPipeline::open(folder, {dc::Device::cpu(), dc::DType::kF32, 0});
  if (!pipe) return report_error("info", pipe.error());
  const dc::pipeline::FluxPipelineInfo& i = (*pipe)->info();
  std::printf("model: %s%s\n", i.name.c_str(), i.demo ? " (demo model)" : "");
  std::printf("  VAE: %s, %lld latent channels, %lldx spatial, %lldx%lld latent pixels per token%s\n",
              i.vae_class.c_str(), static_cast<long long>(i.latent_channels), static_cast<long long>(i.vae_scale),
              static_cast<long long>(i.patch), static_cast<long long>(i.patch),
              i.can_decode ? "" : " (cannot be decoded by this build)");
  std::printf("  guidance: %s\n", i.guidance_embeds ? "embedded (FLUX-dev style)" : "none (true CFG only)");
  std::printf("  default size: %dx%d, sizes in multiples of %lld\n", i.default_width, i.default_height,
              static_cast<long long>(i.vae_scale * i.patch));
  std::printf("  sigma schedule (auto): %s\n", shift_name(i.default_shift));
  return kExitOk;
}

}  // namespace

Command add_info_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("info", "Show the build's capabilities, CPU threads and CUDA device; with --model, "
                                             "what a pipeline folder holds.");
  auto model = std::make_shared<std::string>();
  cmd->add_option("--model", *model, "A pipeline folder (model_index.json) to describe")->check(CLI::ExistingDirectory);
  return {cmd, [model] {
    std::printf("dcgen 0.1.0\n");
    std::printf("CPU threads: %d\n", dc::cpu_thread_count());
    const size_t free_memory = dc::pipeline::available_host_memory();
    if (free_memory != SIZE_MAX) std::printf("free memory: %s\n", dc::pipeline::format_bytes(free_memory).c_str());
    std::printf("CUDA: %s\n", dc::cuda_compiled() ? dc::cuda_device_description().c_str() : "not compiled in");
    std::printf("components for 'forward':");
    for (const std::string& c : dc::pipeline::supported_component_classes()) std::printf(" %s", c.c_str());
    std::printf("\n");
    return model->empty() ? kExitOk : print_pipeline(*model);
  }};
}

}  // namespace dcgen
