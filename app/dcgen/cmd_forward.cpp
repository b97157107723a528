// dcgen forward MODEL_DIR INPUTS.safetensors OUTPUTS.safetensors [--device] [--dtype]
#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/pipeline/component_forward.h"

namespace dcgen {
namespace {

struct ForwardArgs {
  std::string model_dir, inputs, outputs;
  DeviceOptions device;
  bool tiled = false;
  bool dump_taps = false;
};

dc::Result<dc::pipeline::NamedTensors> read_inputs(const std::string& path) {
  DC_TRY(auto file, dc::SafetensorsFile::open(path));
  dc::pipeline::NamedTensors inputs;
  for (const std::string& name : file->tensor_names()) {
    DC_TRY(dc::Tensor t, file->tensor(name));
    inputs[name] = t;
  }
  return inputs;
}

int run_forward(const ForwardArgs& a) {
  auto load = to_load_options(a.device);
  if (!load) return report_error("forward", load.error());
  auto inputs = read_inputs(a.inputs);
  if (!inputs) return report_error("forward", inputs.error());
  dc::pipeline::ForwardOptions options{.load = *load, .tiled_decode = a.tiled, .dump_taps = a.dump_taps};
  auto outputs = dc::pipeline::run_component(a.model_dir, *inputs, options);
  if (!outputs) return report_error("forward", outputs.error());
  std::vector<std::pair<std::string, dc::Tensor>> named(outputs->begin(), outputs->end());
  dc::Status written = dc::write_safetensors(a.outputs, named);
  if (!written) return report_error("forward", written.error());
  return kExitOk;
}

}  // namespace

Command add_forward_command(CLI::App& app) {
  auto args = std::make_shared<ForwardArgs>();
  CLI::App* cmd = app.add_subcommand(
      "forward",
      "Run one model component (diffusers component folder) on named input tensors and write named f32 outputs.\n"
      "  AutoencoderDC: input 'sample' [N,3,H,W] in [-1,1] -> output 'latent' (unscaled);\n"
      "                 input 'latent' [N,C,h,w] -> output 'sample'.\n"
      "  AutoencoderKL (FLUX.1, SD VAEs): input 'latent' [N,C,h,w] as vae.decode takes it (already\n"
      "                 un-scaled/un-shifted) -> output 'sample' (decode only; encoding is not implemented).\n"
      "  FluxTransformer2DModel: 'hidden_states' [B,L,C], 'encoder_hidden_states' [B,T,Cj],\n"
      "                 'pooled_projections' [B,Cp], 'timestep' [B] (as the diffusers module takes it),\n"
      "                 'img_ids' [L,3], 'txt_ids' [T,3], optional 'guidance' [B] -> 'sample'.\n"
      "  CLIPTextModel: 'input_ids' int64 [B,L], optional 'attention_mask' -> 'last_hidden_state',\n"
      "                 'pooler_output', 'penultimate_hidden_state'.\n"
      "  T5EncoderModel: 'input_ids' int64 [B,L], optional 'attention_mask' -> 'last_hidden_state'.");
  cmd->add_option("MODEL_DIR", args->model_dir, "component folder (config.json + safetensors)")->required();
  cmd->add_option("INPUTS", args->inputs, "input tensors (.safetensors)")->required();
  cmd->add_option("OUTPUTS", args->outputs, "where to write the f32 outputs (.safetensors)")->required();
  cmd->add_option("--device", args->device.device, "cpu or cuda")->capture_default_str();
  cmd->add_option("--dtype", args->device.dtype, "compute dtype: f32, bf16 or f16")->capture_default_str();
  cmd->add_flag("--tiled", args->tiled, "AutoencoderDC: decode in tiles (bounded memory)");
  cmd->add_flag("--dump-taps", args->dump_taps, "also write every named intermediate as 'tap:<module path>'");
  return {cmd, [args] { return run_forward(*args); }};
}

}  // namespace dcgen
