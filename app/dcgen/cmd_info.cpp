// dcgen info: what this build and machine can run.
#include <cstdio>

#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"
#include "core/base/thread_pool.h"
#include "core/pipeline/component_forward.h"
#include "core/tensor/cuda_context.h"

namespace dcgen {

Command add_info_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("info", "Show the build's capabilities, CPU threads and CUDA device.");
  return {cmd, [] {
    std::printf("dcgen 0.1.0\n");
    std::printf("CPU threads: %d\n", dc::cpu_thread_count());
    std::printf("CUDA: %s\n", dc::cuda_compiled() ? dc::cuda_device_description().c_str() : "not compiled in");
    std::printf("components for 'forward':");
    for (const std::string& c : dc::pipeline::supported_component_classes()) std::printf(" %s", c.c_str());
    std::printf("\n");
    return kExitOk;
  }};
}

}  // namespace dcgen
