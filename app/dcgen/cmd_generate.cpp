// dcgen generate [--model PIPELINE_DIR] --prompt TEXT --out FILE.png [options]
// (no --model: the embedded demo model, core/pipeline/embedded_model.h)
// Text-to-image with a FLUX-architecture pipeline folder (DC-Gen-FLUX or FLUX.1).
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <random>

#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"
#include "app/dcgen/lora_option.h"
#include "app/dcgen/progress_bar.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/ops/copy.h"
#include "core/ops/profile.h"
#include "core/pipeline/embedded_model.h"
#include "core/pipeline/flux_pipeline.h"
#include "core/pipeline/generation_metadata.h"
#include "core/pipeline/memory_budget.h"
#include "core/tensor/cuda_context.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dcgen {
namespace {

namespace fs = std::filesystem;

struct GenerateArgs {
  std::string model, prompt, prompt_2, negative, out, init_noise, vram_budget, shift = "auto";
  std::optional<double> cfg;
  std::optional<uint64_t> seed;
  int steps = 20, batch = 1, width = 0, height = 0, preview_every = 0, max_sequence_length = 0;
  double guidance = 3.5;
  JobDeviceOptions device;
  std::vector<std::string> loras;  // FILE[:STRENGTH]
};

// Ctrl-C asks the running job to stop at the next step; a second one kills the process.
dc::CancellationToken g_cancel;
extern "C" void on_interrupt(int) {
  g_cancel.cancel();
  std::signal(SIGINT, SIG_DFL);
}

std::string lower_ext(const fs::path& p) {
  std::string e = p.extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

// out.png -> out.png for one image, out-1.png, out-2.png ... for a batch.
fs::path output_path(const fs::path& out, int index, int batch) {
  if (batch == 1) return out;
  fs::path p = out;
  p.replace_filename(out.stem().string() + "-" + std::to_string(index + 1) + out.extension().string());
  return p;
}

int run_generate(GenerateArgs a) {
  const char* cmd = "generate";
  // Device defaults: the GPU when there is one, in bf16; else the CPU in f32.
  const DeviceOptions device = a.device.resolved();
  auto load = to_load_options(device);
  if (!load) return report_error(cmd, load.error());
  const std::string ext = lower_ext(a.out);
  if (ext != ".png" && ext != ".exr" && ext != ".tif" && ext != ".tiff" && ext != ".safetensors") {
    return report_error(cmd, dc::Error::invalid_argument("--out must end in .png, .exr, .tif or .safetensors"));
  }
#ifndef DC_HAVE_OIIO
  if (ext != ".safetensors") {
    return report_error(cmd, dc::Error::not_supported("this dcgen was built without OpenImageIO: use --out "
                                                      "FILE.safetensors, or rebuild with libopenimageio-dev"));
  }
#endif
  if (!fs::is_directory(fs::absolute(a.out).parent_path())) {
    return report_error(cmd, dc::Error::not_found("the output folder of " + a.out + " does not exist"));
  }
  dc::pipeline::FluxPipelineOptions options{load->device, load->dtype, 0};
  if (!a.vram_budget.empty()) {
    auto budget = dc::pipeline::parse_byte_size(a.vram_budget);
    if (!budget) return report_error(cmd, budget.error());
    options.vram_budget = *budget;
  }
  dc::pipeline::TextToImageRequest r;
  r.prompt = a.prompt;
  r.prompt_2 = a.prompt_2;
  r.negative_prompt = a.negative;
  r.true_cfg_scale = static_cast<float>(a.cfg.value_or(a.negative.empty() ? 1.0 : 4.0));
  r.guidance = static_cast<float>(a.guidance);
  r.steps = a.steps;
  r.batch = a.batch;
  r.seed = a.seed ? *a.seed : std::random_device{}() & 0xffffffffu;
  r.preview_every = a.preview_every;
  r.max_sequence_length = a.max_sequence_length;
  auto loras = parse_lora_options(a.loras);
  if (!loras) return report_error(cmd, loras.error());
  r.loras = std::move(*loras);
  r.shift = dc::pipeline::sigma_shift_from_name(a.shift);
  if (!a.init_noise.empty()) {
    auto file = dc::SafetensorsFile::open(a.init_noise);
    if (!file) return report_error(cmd, file.error());
    const std::string name = (*file)->contains("noise") ? "noise" : (*file)->tensor_names().empty() ? "" : (*file)->tensor_names().front();
    auto noise = (*file)->tensor(name);
    if (!noise) return report_error(cmd, noise.error());
    r.initial_noise = dc::ops::contiguous(dc::ops::cast(*noise, dc::DType::kF32));
  }

  if (a.model.empty()) {
    auto demo = dc::pipeline::embedded_demo_model();
    if (!demo) return report_error(cmd, demo.error());
    a.model = demo->string();
    std::fprintf(stderr, "dcgen generate: no --model: using the embedded demo model (a tiny model of colored "
                         "shapes, for trying DC Studio out; --model PIPELINE_DIR runs a real DC-Gen checkpoint)\n");
  }
  std::fprintf(stderr, "dcgen generate: loading %s on %s (%s)\n", a.model.c_str(), device.device.c_str(),
               device.dtype.c_str());
  auto pipe = dc::pipeline::FluxPipeline::open(a.model, options);
  if (!pipe) return report_error(cmd, pipe.error());
  const auto& info = (*pipe)->info();
  r.width = a.width ? a.width : info.default_width;
  r.height = a.height ? a.height : info.default_height;
  std::fprintf(stderr, "dcgen generate: %s, %dx%d, %d steps, seed %llu; memory: %s\n", info.name.c_str(), r.width,
               r.height, r.steps, static_cast<unsigned long long>(r.seed), info.residency.c_str());

  ProgressBar bar(stderr);
  dc::pipeline::GenerationEvents events;
  events.cancel = g_cancel;
  events.on_progress = [&](const dc::pipeline::GenerationProgress& p) { bar.update(p); };
  events.on_warning = [&](const std::string& w) { bar.message("warning: " + w); };
  std::signal(SIGINT, on_interrupt);
  auto result = (*pipe)->generate(r, events);
  std::signal(SIGINT, SIG_DFL);
  bar.finish();
  if (!result) {
    if (result.error().code() == dc::ErrorCode::kCancelled) {
      std::fprintf(stderr, "dcgen generate: cancelled; nothing was written\n");
      return 130;
    }
    return report_error(cmd, result.error());
  }
  // Write every image (atomically) before reporting success.
  for (int k = 0; k < r.batch; ++k) {
    const fs::path path = output_path(a.out, k, r.batch);
    const dc::Tensor image = result->images.slice(0, k, k + 1);
    dc::Status s;
    if (ext == ".safetensors") {
      s = dc::write_safetensors(path, {{"image", dc::ops::contiguous(image)}});
    } else {
#ifdef DC_HAVE_OIIO
      dc::pipeline::GenerationRecord record;
      record.model = info.name;
      record.demo_model = info.demo;
      record.loras = result->loras;
      record.prompt = r.prompt;
      record.prompt_2 = r.prompt_2;
      record.negative_prompt = r.negative_prompt;
      record.schedule = result->sigma_schedule;
      record.steps = r.steps;
      record.width = r.width;
      record.height = r.height;
      record.max_sequence_length = result->max_sequence_length;
      record.guidance = r.guidance;
      record.true_cfg_scale = r.true_cfg_scale;
      record.seed = result->seeds[k];
      record.device = device.device;
      const dc::ImageMetadata meta = dc::pipeline::generation_metadata(record);
      s = dc::write_image(path, image, meta);
#endif
    }
    if (!s) return report_error(cmd, s.error());
    std::fprintf(stderr, "dcgen generate: wrote %s (seed %llu)\n", path.string().c_str(),
                 static_cast<unsigned long long>(result->seeds[k]));
  }
  std::fprintf(stderr, "dcgen generate: text %.2f s, denoise %.2f s (%.2f s/step), decode %.2f s", result->seconds_text,
               result->seconds_denoise, result->seconds_denoise / r.steps, result->seconds_decode);
  if (result->peak_device_bytes) {
    std::fprintf(stderr, ", peak GPU memory %s", dc::pipeline::format_bytes(result->peak_device_bytes).c_str());
  }
  std::fprintf(stderr, "\n");
  if (dc::ops::op_profiling_enabled()) std::fprintf(stderr, "op profile:\n%s", dc::ops::op_profile_report().c_str());
  return kExitOk;
}

}  // namespace

Command add_generate_command(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* c = app.add_subcommand("generate", "Text to image with a FLUX-architecture pipeline folder (DC-Gen-FLUX, FLUX.1)");
  c->add_option("--model", args->model,
                 "Pipeline folder (model_index.json): DC-Gen-FLUX.1-Krea-Dev-Res1K/-Res4K, or a standard FLUX.1 "
                 "folder such as FLUX.1-dev (default: the embedded demo model)")
      ->check(CLI::ExistingDirectory);
  c->add_option("--prompt", args->prompt, "What to draw")->required();
  c->add_option("--prompt-2", args->prompt_2, "A different prompt for the T5 encoder (default: --prompt)");
  c->add_option("--negative", args->negative, "What to avoid (enables true CFG, default scale 4)");
  c->add_option("--cfg", args->cfg, "True CFG scale (> 1 with --negative: two passes per step)");
  c->add_option("--seed", args->seed, "Noise seed (default: random, printed); image k of a batch uses seed + k");
  c->add_option("--steps", args->steps, "Sampling steps")->check(CLI::Range(1, 1000))->capture_default_str();
  c->add_option("--guidance", args->guidance, "Embedded guidance (FLUX-dev style)")->capture_default_str();
  c->add_option("--width", args->width, "Image width in pixels (default: the model card's, else 1024, or 4096 for 64x-latent models)");
  c->add_option("--height", args->height, "Image height in pixels");
  c->add_option("--batch", args->batch, "Images to make")->check(CLI::Range(1, 64))->capture_default_str();
  c->add_option("--shift", args->shift, "Sigma schedule: auto, flux (FLUX resolution shift) or flux2 (DC-Gen)")
      ->check(CLI::IsMember({"auto", "flux", "flux2"}))
      ->capture_default_str();
  c->add_option("--init-noise", args->init_noise, "Initial latent noise [batch, C, h, w] (safetensors, tensor 'noise')")
      ->check(CLI::ExistingFile);
  c->add_option("--max-sequence-length", args->max_sequence_length, "T5 tokens (default: the tokenizer's, at most 512)")
      ->check(CLI::Range(1, 512));
  add_lora_option(c, args->loras);
  c->add_option("--vram-budget", args->vram_budget, "GPU memory the job may use, e.g. 24G (default: free memory); on the CPU, the memory its largest stage may take");
  args->device.add_to(c);
  c->add_option("--out", args->out, "Output image: .png (with generation parameters), .exr, .tif, or .safetensors")
      ->required();
  return {c, [args] { return run_generate(*args); }};
}

}  // namespace dcgen
