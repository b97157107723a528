// dcgen encode MODEL_DIR image.(png|exr|tif) latent.safetensors
// dcgen decode MODEL_DIR latent.safetensors image.(png|exr|tif)
#include "app/dcgen/cli_common.h"
#include "app/dcgen/commands.h"
#include "core/io/safetensors/safetensors_file.h"
#include "core/io/safetensors/safetensors_writer.h"
#include "core/models/dcae/autoencoder_dc.h"
#include "core/ops/copy.h"
#ifdef DC_HAVE_OIIO
#include "core/io/image/image_file.h"
#endif

namespace dcgen {
namespace {

struct ImageArgs {
  std::string model_dir, input, output;
  DeviceOptions device;
  bool whole = false;  // decode without tiling (tiling is exact, so it is the default)
};

#ifdef DC_HAVE_OIIO
using dc::models::dcae::AutoencoderDC;

int run_encode(const ImageArgs& a) {
  auto load = to_load_options(a.device);
  if (!load) return report_error("encode", load.error());
  auto image = dc::read_image(a.input);
  if (!image) return report_error("encode", image.error());
  auto model = AutoencoderDC::load(a.model_dir, *load);
  if (!model) return report_error("encode", model.error());
  auto latent = dc::catch_errors([&] {
    dc::Tensor x = dc::ops::to_device(dc::ops::cast(*image, load->dtype), load->device);
    return dc::ops::contiguous(dc::ops::cast(dc::ops::to_device((*model)->encode(x), dc::Device::cpu()), dc::DType::kF32));
  });
  if (!latent) return report_error("encode", latent.error());
  dc::Status s = dc::write_safetensors(a.output, {{"latent", *latent}});
  return s ? kExitOk : report_error("encode", s.error());
}

int run_decode(const ImageArgs& a) {
  auto load = to_load_options(a.device);
  if (!load) return report_error("decode", load.error());
  auto file = dc::SafetensorsFile::open(a.input);
  if (!file) return report_error("decode", file.error());
  if (!(*file)->contains("latent") && (*file)->size() != 1) {
    return report_error("decode", dc::Error::invalid_argument(a.input + ": expected a tensor named 'latent'"));
  }
  auto latent = (*file)->tensor((*file)->contains("latent") ? "latent" : (*file)->tensor_names().front());
  if (!latent) return report_error("decode", latent.error());
  auto model = AutoencoderDC::load(a.model_dir, *load);
  if (!model) return report_error("decode", model.error());
  auto image = dc::catch_errors([&] {
    dc::Tensor z = dc::ops::to_device(dc::ops::cast(*latent, load->dtype), load->device);
    return a.whole ? (*model)->decode(z) : (*model)->decode_tiled(z, {});
  });
  if (!image) return report_error("decode", image.error());
  dc::Status s = dc::write_image(a.output, *image, {{"Software", "DC Studio dcgen"}});
  return s ? kExitOk : report_error("decode", s.error());
}
#else
int no_oiio(const char* cmd) {
  return report_error(cmd, dc::Error::not_supported("this build has no image support (needs OpenImageIO)"));
}
int run_encode(const ImageArgs&) { return no_oiio("encode"); }
int run_decode(const ImageArgs&) { return no_oiio("decode"); }
#endif

Command add_image_command(CLI::App& app, const char* name, const char* help, const char* in_help,
                         const char* out_help, int (*run)(const ImageArgs&)) {
  auto args = std::make_shared<ImageArgs>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->add_option("MODEL_DIR", args->model_dir, "AutoencoderDC component folder (config.json + safetensors)")
      ->required();
  cmd->add_option("INPUT", args->input, in_help)->required();
  cmd->add_option("OUTPUT", args->output, out_help)->required();
  cmd->add_option("--device", args->device.device, "cpu or cuda")->capture_default_str();
  cmd->add_option("--dtype", args->device.dtype, "compute dtype: f32, bf16 or f16")->capture_default_str();
  if (std::string(name) == "decode") {
    cmd->add_flag("--whole", args->whole,
                  "decode the whole image at once (more memory); by default large images decode in exact tiles");
  }
  return {cmd, [args, run] { return run(*args); }};
}

}  // namespace

Command add_encode_command(CLI::App& app) {
  return add_image_command(app, "encode", "Encode an image into an unscaled DC-AE latent.",
                           "image (.png, .exr, .tif, .jpg)", "latent (.safetensors, tensor 'latent')", run_encode);
}

Command add_decode_command(CLI::App& app) {
  return add_image_command(app, "decode", "Decode an unscaled DC-AE latent into an image.",
                           "latent (.safetensors, tensor 'latent')", "image (.png, .exr, .tif)", run_decode);
}

}  // namespace dcgen
