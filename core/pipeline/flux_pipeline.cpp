#include "core/pipeline/flux_pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "core/io/diffusers/pipeline_folder.h"
#include "core/io/lora/lora_file.h"
#include "core/models/autoencoder_kl/config.h"
#include "core/models/dcae/autoencoder_dc.h"
#include "core/models/flux/flux_lora.h"
#include "core/models/flux/flux_transformer.h"
#include "core/models/text/clip_text_model.h"
#include "core/models/text/clip_tokenizer.h"
#include "core/models/text/t5_encoder.h"
#include "core/models/text/t5_tokenizer.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"
#include "core/pipeline/flow_match_scheduler.h"
#include "core/pipeline/latent_decoder.h"
#include "core/pipeline/latent_preview.h"
#include "core/pipeline/memory_budget.h"
#include "core/pipeline/model_card.h"
#include "core/tensor/cuda_context.h"

namespace dc::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
namespace text = models::text;
namespace flux = models::flux;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The text conditioning of one prompt (batch 1; expanded to the batch later).
struct PromptEmbeds {
  Tensor sequence;  // T5 last_hidden_state [1, T, Dj]
  Tensor pooled;    // CLIP pooler_output [1, Dp]
};

// [B, C, h, w] -> [B, h/p · w/p, C·p²] (FluxPipeline._pack_latents; p = 1 is DC-Gen's layout).
Tensor pack_latents(const Tensor& x, int64_t p) {
  const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  const Tensor v = x.view({b, c, h / p, p, w / p, p}).permute({0, 2, 4, 1, 3, 5});
  return ops::contiguous(v).view({b, (h / p) * (w / p), c * p * p});
}

Tensor unpack_latents(const Tensor& x, int64_t c, int64_t h, int64_t w, int64_t p) {
  const int64_t b = x.size(0);
  const Tensor v = ops::contiguous(x).view({b, h / p, w / p, c, p, p}).permute({0, 3, 1, 4, 2, 5});
  return ops::contiguous(v).view({b, c, h, w});
}

// FluxPipeline._prepare_latent_image_ids: (0, row, col) per token, f32 [rows·cols, 3].
Tensor latent_image_ids(int64_t rows, int64_t cols) {
  std::vector<float> ids(static_cast<size_t>(rows * cols * 3), 0.0f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      ids[static_cast<size_t>((r * cols + c) * 3 + 1)] = static_cast<float>(r);
      ids[static_cast<size_t>((r * cols + c) * 3 + 2)] = static_cast<float>(c);
    }
  return Tensor::from_vector(ids, {rows * cols, 3});
}

// Repeats a [1, ...] tensor along dim 0 to `batch`.
Tensor repeat_batch(const Tensor& t, int64_t batch) {
  if (batch == 1) return t;
  Shape shape = t.shape();
  shape[0] = batch;
  return ops::contiguous(t.expand(shape));
}

// A value as the reference holds it in `dtype` (timesteps are cast to the latents' dtype).
float round_to(float v, DType dtype) {
  return ops::cast(ops::cast(Tensor::from_vector({v}, {1}), dtype), DType::kF32).data<float>()[0];
}

}  // namespace

struct FluxPipeline::Impl {
  std::filesystem::path dir;
  FluxPipelineOptions options;
  FluxPipelineInfo info;
  PipelineFolder folder;
  FlowMatchSchedulerConfig scheduler_config;
  std::optional<text::ClipTokenizer> clip_tokenizer;
  std::optional<text::T5Tokenizer> t5_tokenizer;
  std::vector<StageSize> stage_sizes;  // text_encoder, text_encoder_2, transformer, vae
  size_t budget = SIZE_MAX;            // device bytes a job may hold (CPU: unbounded)
  int64_t transformer_width = 0;       // heads · head_dim
  ResidencyPlan plan;

  // Working sets for a job of `tokens` image + `text_tokens` text tokens and `pixels`
  // output pixels (batch included): the transformer's activations are ~64 values of
  // its width per token; a tiled DC-AE decode peaked at ~350 bytes per output pixel
  // on the H100 (docs/PERFORMANCE.md, 4096²: 5.5–6.2 GiB). An AutoencoderKL decode's
  // widest full-resolution stage holds block_out_channels[-2] channels (256 for FLUX.1)
  // in about six live tensors (conv in/out, group norm temporaries); whole when that
  // fits the memory, else in diffusers' tiles (kl_tiled), each sample_size² pixels.
  void set_working_sets(int64_t tokens, int64_t text_tokens, int64_t pixels) {
    const size_t act = static_cast<size_t>(dtype_bits(options.dtype) / 8);
    stage_sizes[2].working = static_cast<size_t>(transformer_width * (tokens + text_tokens)) * act * 64;
    const size_t base = size_t{512} << 20;
    if (info.vae_class != "AutoencoderKL") {
      stage_sizes[3].working = base + static_cast<size_t>(pixels) * 350;
      return;
    }
    const size_t per_pixel = act * 6 * static_cast<size_t>(kl_full_res_channels);
    const size_t whole = base + static_cast<size_t>(pixels) * per_pixel;
    const size_t tile_pixels = static_cast<size_t>(std::min<int64_t>(pixels, kl_tile_sample * kl_tile_sample));
    const size_t tiled = base + tile_pixels * per_pixel + static_cast<size_t>(pixels) * 3 * sizeof(float);
    kl_tiled = tiled < whole && whole + stage_sizes[3].weights > job_memory;
    stage_sizes[3].working = kl_tiled ? tiled : whole;
  }
  // What a job may use: the device budget, or on the CPU the given budget or the free memory.
  size_t memory_for_jobs() const {
    if (options.device.is_cuda()) return budget;
    return options.vram_budget ? options.vram_budget : available_host_memory();
  }
  Status plan_for(int64_t tokens, int64_t text_tokens, int64_t pixels) {
    job_memory = memory_for_jobs();  // read once per job (on the CPU: /proc/meminfo)
    set_working_sets(tokens, text_tokens, pixels);
    plan = plan_residency(stage_sizes, budget);
    info.residency = options.device.is_cuda() ? plan.explanation : "CPU (no device budget)";
    if (!plan.fits) return Error::out_of_memory(info.name + ": " + plan.explanation);
    return {};
  }
  // CPU jobs: the largest stage's activations (plus its weights when they are cast copies
  // rather than the checkpoint's mapped f32 bytes) must fit the memory the system has free
  // now (or options.vram_budget), or the job would swap for minutes or be killed. Checked
  // per job, before any work, naming the stage.
  Status check_host_memory(int width, int height) const {
    if (options.device.is_cuda()) return {};
    const size_t available = job_memory;
    for (const StageSize& s : stage_sizes) {
      const size_t need = s.working + (options.dtype == DType::kF32 ? 0 : s.weights);
      if (need <= available) continue;
      return Error::out_of_memory(info.name + ": a " + std::to_string(width) + "x" + std::to_string(height) +
                                  " job needs about " + format_bytes(need) + " of memory for its " + s.name +
                                  " stage, and " + format_bytes(available) +
                                  (options.vram_budget ? " is the budget" : " is free") +
                                  "; try a smaller size or batch");
    }
    return {};
  }
  int64_t kl_full_res_channels = 0;  // AutoencoderKL: channels of its widest full-resolution stage
  int64_t kl_tile_sample = 0;        // AutoencoderKL: its tiled decode's tile side in pixels (sample_size)
  bool kl_tiled = false;             // this job's AutoencoderKL decode runs in tiles (set_working_sets)
  size_t job_memory = 0;             // memory_for_jobs() as plan_for read it for this job
  std::string decode_unsupported;    // why the VAE cannot be run (info.can_decode false)

  // Resident stages (null when not loaded).
  std::unique_ptr<text::ClipTextModel> clip;
  std::unique_ptr<text::T5Encoder> t5;
  std::unique_ptr<flux::FluxTransformer> transformer;
  flux::FluxLoRAStack transformer_loras;  // what is merged into `transformer` (reset when it is reloaded)
  std::unique_ptr<LatentDecoder> vae;

  nn::LoadOptions load_options() const { return {options.device, options.dtype}; }

  Result<std::filesystem::path> component(const char* name) const { return folder.component_dir(name); }

  // Frees a stage unless the plan keeps every stage resident.
  template <class T>
  void release(std::unique_ptr<T>& stage) {
    if (plan.keep_all) return;
    stage.reset();
    if (options.device.is_cuda()) cuda_empty_cache();
  }

  Result<PromptEmbeds> encode_prompt(const std::string& prompt, const std::string& prompt_2, int max_sequence_length,
                                     const GenerationEvents& events) {
    PromptEmbeds out;
    {
      text::TokenizeOptions opt;
      opt.max_length = clip_tokenizer->model_max_length() > 0 ? clip_tokenizer->model_max_length() : 77;
      text::TruncationReport cut;
      const std::vector<int64_t> ids = clip_tokenizer->encode(prompt, opt, &cut);
      if (cut.dropped_tokens > 0 && events.on_warning) {
        events.on_warning("CLIP reads only " + std::to_string(opt.max_length) + " tokens; this part was truncated: \"" +
                          clip_tokenizer->decode(cut.dropped_ids) + "\"");
      }
      if (!clip) {
        DC_TRY(auto dir, component("text_encoder"));
        DC_TRY(clip, text::ClipTextModel::load(dir, load_options()));
      }
      const Tensor input = ops::to_device(Tensor::from_vector_i64(ids, {1, int64_t(ids.size())}),
                                          options.device);
      DC_TRY(out.pooled, catch_errors([&] { return clip->forward(input).pooler_output; }));
      release(clip);
    }
    if (events.cancel.cancelled()) return Error::cancelled("cancelled");
    {
      text::TokenizeOptions opt;
      opt.max_length = max_sequence_length;
      text::TruncationReport cut;
      const std::vector<int64_t> ids = t5_tokenizer->encode(prompt_2.empty() ? prompt : prompt_2, opt, &cut);
      if (cut.dropped_tokens > 0 && events.on_warning) {
        events.on_warning("T5 reads only " + std::to_string(max_sequence_length) + " tokens; this part was truncated: \"" +
                          t5_tokenizer->decode(cut.dropped_ids) + "\"");
      }
      if (!t5) {
        DC_TRY(auto dir, component("text_encoder_2"));
        DC_TRY(t5, text::T5Encoder::load(dir, load_options()));
      }
      const Tensor input = ops::to_device(Tensor::from_vector_i64(ids, {1, int64_t(ids.size())}),
                                          options.device);
      DC_TRY(out.sequence, catch_errors([&] { return t5->forward(input); }));
      release(t5);
    }
    return out;
  }

  // Seeded noise [batch, C, h, w] f32: image k from seed + k (Philox, the same on CPU and GPU).
  Result<Tensor> initial_noise(const TextToImageRequest& r, int64_t c, int64_t h, int64_t w) const {
    if (r.initial_noise.defined()) {
      const Shape want = {r.batch, c, h, w};
      if (r.initial_noise.shape() != want) {
        return Error::invalid_argument("initial noise must be " + shape_to_string(want) + " for this request, got " +
                                       r.initial_noise.describe());
      }
      return ops::cast(ops::to_device(r.initial_noise, Device::cpu()), DType::kF32);
    }
    std::vector<Tensor> images;
    for (int k = 0; k < r.batch; ++k) images.push_back(ops::randn({1, c, h, w}, r.seed + k));
    return ops::concat(images, 0);
  }

  // Makes the loaded transformer's weights base + the job's LoRAs (nothing to do when
  // they are merged already). A merge that failed midway drops the transformer.
  Status merge_loras(const std::vector<LoRASpec>& loras, const GenerationEvents& events) {
    DC_TRY(auto dir, component("transformer"));
    Result<bool> merged = transformer_loras.apply(*transformer, dir, load_options(), loras, events.on_warning);
    if (merged) return {};
    if (!transformer_loras.consistent()) {
      transformer.reset();
      transformer_loras = {};
    }
    return std::move(merged).error();
  }

  Result<TextToImageResult> generate(const TextToImageRequest& r, const GenerationEvents& events);
};

Result<std::unique_ptr<FluxPipeline>> FluxPipeline::open(const std::filesystem::path& dir,
                                                         const FluxPipelineOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->options = options;
  DC_TRY(impl->folder, open_pipeline(dir));
  for (const char* name : {"transformer", "text_encoder", "text_encoder_2", "tokenizer", "tokenizer_2", "scheduler"}) {
    if (!impl->folder.has_component(name)) {
      return Error::format(dir.string() + "/model_index.json: a FLUX pipeline needs a '" + name + "' component");
    }
  }
  FluxPipelineInfo& info = impl->info;
  info.name = dir.filename().string().empty() ? dir.parent_path().filename().string() : dir.filename().string();
  DC_TRY(info.vae_class, impl->folder.component_class("vae"));
  DC_TRY(const std::optional<ModelCard> card, read_model_card(dir));
  DC_TRY(auto scheduler_dir, impl->component("scheduler"));
  DC_TRY(impl->scheduler_config, FlowMatchSchedulerConfig::from_folder(scheduler_dir));
  DC_TRY(auto tok_dir, impl->component("tokenizer"));
  DC_TRY(auto clip_tokenizer, text::ClipTokenizer::load(tok_dir));
  impl->clip_tokenizer.emplace(std::move(clip_tokenizer));
  DC_TRY(auto tok2_dir, impl->component("tokenizer_2"));
  DC_TRY(auto t5_tokenizer, text::T5Tokenizer::load(tok2_dir));
  impl->t5_tokenizer.emplace(std::move(t5_tokenizer));

  DC_TRY(ComponentFolder transformer, impl->folder.component("transformer"));
  DC_TRY(int64_t in_channels, transformer.config.get_int("in_channels"));
  DC_TRY(info.guidance_embeds, transformer.config.get_bool_or("guidance_embeds", false));
  DC_TRY(int64_t hidden_heads, transformer.config.get_int_or("num_attention_heads", 24));
  DC_TRY(int64_t head_dim, transformer.config.get_int_or("attention_head_dim", 128));
  DC_TRY(ComponentFolder vae, impl->folder.component("vae"));
  if (info.vae_class == "AutoencoderDC") {
    DC_TRY(auto cfg, models::dcae::parse_dcae_config(vae.config));
    info.latent_channels = cfg.latent_channels;
    info.vae_scale = cfg.spatial_compression_ratio();
    info.patch = 1;
    info.can_decode = true;
  } else {
    // FLUX.1 and other AutoencoderKL latents, packed 2x2 per token. A VAE option we do not
    // run leaves the folder usable up to the latents; generate() says why before it starts.
    DC_TRY(info.latent_channels, vae.config.get_int("latent_channels"));
    DC_TRY(auto blocks, vae.config.get_int_list("block_out_channels"));
    if (blocks.empty()) return Error::format(vae.dir.string() + "/config.json: block_out_channels is empty");
    info.vae_scale = int64_t{1} << (blocks.size() - 1);
    info.patch = 2;
    if (info.vae_class != "AutoencoderKL") {
      impl->decode_unsupported = "a " + info.vae_class + " VAE is not supported (AutoencoderDC and AutoencoderKL are)";
    } else if (Result<models::autoencoder_kl::AutoencoderKLConfig> cfg =
                   models::autoencoder_kl::parse_autoencoder_kl_config(vae.config);
               !cfg) {
      impl->decode_unsupported = cfg.error().message();
    } else {
      info.can_decode = true;
      impl->kl_full_res_channels = blocks.size() >= 2 ? blocks[blocks.size() - 2] : blocks.back();
      impl->kl_tile_sample = cfg->sample_size;
    }
  }
  if (in_channels != info.latent_channels * info.patch * info.patch) {
    return Error::format(dir.string() + ": the transformer takes " + std::to_string(in_channels) +
                         " channels per token but the " + info.vae_class + " latent has " +
                         std::to_string(info.latent_channels) + " channels in " + std::to_string(info.patch) + "x" +
                         std::to_string(info.patch) + " patches");
  }
  info.default_width = info.default_height = info.vae_scale >= 64 ? 4096 : 1024;  // DC-Gen's Res4K / Res1K
  if (card) {
    if (!card->label.empty()) info.name = card->label;
    info.demo = card->demo;
    if (card->default_width > 0) {
      info.default_width = card->default_width;
      info.default_height = card->default_height;
    }
  }
  // DC-Gen's Res1K release (f32c32 latent) samples with the flux2 warp, its 4K one with the FLUX shift.
  info.default_shift = (info.vae_class == "AutoencoderDC" && info.vae_scale == 32) ? SigmaShift::kFlux2
                                                                                    : SigmaShift::kFlux;
  // Residency: weights at the compute dtype; working sets planned for a 1024², 512-token
  // job here (so an unusable budget fails at open) and again for each job's size.
  DC_TRY(ComponentFolder te, impl->folder.component("text_encoder"));
  DC_TRY(ComponentFolder te2, impl->folder.component("text_encoder_2"));
  impl->transformer_width = hidden_heads * head_dim;
  impl->stage_sizes = {
      {"text_encoder", weight_bytes(te.weights, options.dtype), size_t{256} << 20},
      {"text_encoder_2", weight_bytes(te2.weights, options.dtype), size_t{512} << 20},
      {"transformer", weight_bytes(transformer.weights, options.dtype), 0, 0, 0},
      {"vae", weight_bytes(vae.weights, options.dtype), 0},
  };
  // Block streaming keeps the fused adaLN rows of every block (norm1, norm1_context,
  // norm) resident with the embedders (FluxTransformer::stream_blocks).
  const StreamedSize streamed = streamed_size(transformer.weights, options.dtype,
                                              {"transformer_blocks", "single_transformer_blocks"},
                                              {".norm1.linear.", ".norm1_context.linear.", ".norm.linear."});
  impl->stage_sizes[2].streamed_resident = streamed.resident;
  impl->stage_sizes[2].stream_slot = streamed.slot;
  impl->stage_sizes[2].always_stream = options.stream_transformer_blocks;
  if (options.device.is_cuda()) impl->budget = options.vram_budget ? options.vram_budget : default_device_budget();
  const int64_t side = 1024 / (info.vae_scale * info.patch);
  DC_TRY_STATUS(impl->plan_for(side * side, 512, int64_t{1024} * 1024));
  return std::unique_ptr<FluxPipeline>(new FluxPipeline(std::move(impl)));
}

FluxPipeline::FluxPipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FluxPipeline::~FluxPipeline() = default;
const FluxPipelineInfo& FluxPipeline::info() const { return impl_->info; }

Result<TextToImageResult> FluxPipeline::generate(const TextToImageRequest& request, const GenerationEvents& events) {
  // Ops throw on device errors (out of memory); the job reports them as Errors.
  Result<Result<TextToImageResult>> r = catch_errors([&] { return impl_->generate(request, events); });
  if (!r) return r.error();
  return std::move(*r);
}

Result<TextToImageResult> FluxPipeline::Impl::generate(const TextToImageRequest& r, const GenerationEvents& events) {
  const Clock::time_point t0 = Clock::now();
  auto progress = [&](GenerationPhase phase, int step, int total) {
    if (events.on_progress) events.on_progress({phase, step, total, seconds_since(t0)});
  };
  // Validate before loading anything.
  if (r.steps < 1 || r.steps > 1000) return Error::invalid_argument("steps must be 1..1000");
  for (const LoRASpec& l : r.loras) {  // layout checked now, shapes against the model at the merge
    Result<LoRAFile> lora = read_lora_file(l.file);
    if (!lora) return std::move(lora).error();
  }
  if (r.batch < 1 || r.batch > 64) return Error::invalid_argument("batch must be 1..64");
  if (!std::isfinite(r.guidance) || !std::isfinite(r.true_cfg_scale)) {
    return Error::invalid_argument("guidance and CFG scales must be finite numbers");
  }
  if (r.max_sequence_length < 0 || r.max_sequence_length > 512) {
    return Error::invalid_argument("max_sequence_length must be 1..512 (the T5 encoder's trained range), or 0");
  }
  const int64_t folder_length = t5_tokenizer->model_max_length();
  const int max_sequence_length =
      r.max_sequence_length > 0 ? r.max_sequence_length
                                : static_cast<int>(folder_length > 0 ? std::min<int64_t>(folder_length, 512) : 512);
  const int64_t unit = info.vae_scale * info.patch;
  if (r.width < unit || r.height < unit || r.width > 16384 || r.height > 16384) {
    return Error::invalid_argument("width and height must be " + std::to_string(unit) + "..16384 pixels");
  }
  if (r.width % unit != 0 || r.height % unit != 0) {
    return Error::invalid_argument("width and height must be multiples of " + std::to_string(unit) + " for " +
                                   info.name + " (got " + std::to_string(r.width) + "x" +
                                   std::to_string(r.height) + ")");
  }
  const bool do_cfg = r.true_cfg_scale > 1.0f && !r.negative_prompt.empty();
  if (!r.negative_prompt.empty() && !do_cfg && events.on_warning) {
    events.on_warning("the negative prompt is ignored: it needs true CFG (a CFG scale above 1)");
  }
  if (!info.can_decode) {  // before any work: the picture could not be made
    return Error::not_supported(info.name + ": cannot decode its latents: " + decode_unsupported);
  }
  const int64_t c = info.latent_channels, h = r.height / info.vae_scale, w = r.width / info.vae_scale;
  const int64_t tokens = (h / info.patch) * (w / info.patch);
  DC_TRY_STATUS(plan_for(tokens, max_sequence_length, int64_t{r.width} * r.height * r.batch));
  DC_TRY_STATUS(check_host_memory(r.width, r.height));
  if (plan.stream_blocks && !r.loras.empty()) {
    return Error::not_supported(info.name + ": LoRAs cannot be applied while the transformer streams block by block (" +
                                plan.explanation + "); raise --vram-budget or run without LoRAs");
  }
  if (!plan.keep_all) {  // a smaller plan than the previous job's: nothing stays over from it
    clip.reset();
    t5.reset();
    transformer.reset();
    vae.reset();
    if (options.device.is_cuda()) cuda_empty_cache();
  }
  if (options.device.is_cuda()) cuda_reset_peak_memory();

  TextToImageResult result;
  result.max_sequence_length = max_sequence_length;
  // 1. Text.
  progress(GenerationPhase::kEncodingText, 0, do_cfg ? 2 : 1);
  DC_TRY(PromptEmbeds cond, encode_prompt(r.prompt, r.prompt_2, max_sequence_length, events));
  PromptEmbeds uncond;
  if (do_cfg) {
    DC_TRY(PromptEmbeds negative, encode_prompt(r.negative_prompt, {}, max_sequence_length, events));
    uncond = negative;
  }
  result.seconds_text = seconds_since(t0);
  if (events.cancel.cancelled()) return Error::cancelled("cancelled");

  // 2. Noise, ids, schedule.
  DC_TRY(Tensor noise, initial_noise(r, c, h, w));
  Tensor latents = ops::to_device(ops::cast(pack_latents(noise, info.patch), options.dtype), options.device);
  const Tensor img_ids = latent_image_ids(h / info.patch, w / info.patch);  // host: only the RoPE table reads them
  // txt_ids are zeros (FluxPipeline.encode_prompt): text tokens carry no position in the RoPE.
  const auto text_ids = [&](const PromptEmbeds& e) {
    const int64_t n = e.sequence.size(1);
    return Tensor::from_vector(std::vector<float>(static_cast<size_t>(n * 3), 0.0f), {n, 3});
  };
  FlowMatchEulerScheduler scheduler(scheduler_config);
  const SigmaShift shift = r.shift == SigmaShift::kAuto ? info.default_shift : r.shift;
  if (shift == SigmaShift::kFlux2) {
    DC_TRY_STATUS(scheduler.set_timesteps_flux2(r.steps, flux_default_sigmas(r.steps),
                                                flux2_ratio(tokens, c * info.patch * info.patch)));
    result.sigma_schedule = sigma_shift_name(SigmaShift::kFlux2);
  } else {
    const FlowMatchSchedulerConfig& sc = scheduler_config;
    DC_TRY_STATUS(scheduler.set_timesteps(
        r.steps, flux_default_sigmas(r.steps),
        flux_shift_mu(tokens, sc.base_image_seq_len, sc.max_image_seq_len, sc.base_shift, sc.max_shift)));
    result.sigma_schedule = sigma_shift_name(SigmaShift::kFlux);
  }
  const auto batch_of = [&](const PromptEmbeds& e) {
    return PromptEmbeds{repeat_batch(e.sequence, r.batch), repeat_batch(e.pooled, r.batch)};
  };
  const PromptEmbeds cond_b = batch_of(cond), uncond_b = do_cfg ? batch_of(uncond) : PromptEmbeds{};
  const Tensor txt_ids = text_ids(cond);
  if (do_cfg && uncond.sequence.size(1) != cond.sequence.size(1)) {
    return Error::internal("the negative prompt's T5 length differs from the prompt's");
  }
  Tensor guidance;
  if (info.guidance_embeds) {
    guidance = ops::to_device(Tensor::from_vector(std::vector<float>(r.batch, r.guidance), {r.batch}), options.device);
  }

  // 3. Denoise.
  if (!transformer) {
    progress(GenerationPhase::kLoading, 0, 1);
    DC_TRY(auto dir, component("transformer"));
    if (plan.stream_blocks) {
      DC_TRY(transformer, flux::FluxTransformer::load_streamed(dir, load_options()));
    } else {
      DC_TRY(transformer, flux::FluxTransformer::load(dir, load_options()));
    }
    transformer_loras = {};
  }
  DC_TRY_STATUS(merge_loras(r.loras, events));
  for (const flux::MergedLoRA& l : transformer_loras.merged())
    result.loras.push_back({l.name, l.spec.strength, l.sha256});
  // Text tokens all sit at position 0, so one RoPE table serves both prompts.
  DC_TRY(flux::FluxRope rope, transformer->prepare_rope(img_ids, txt_ids));
  const Clock::time_point t_denoise = Clock::now();
  const int total = static_cast<int>(scheduler.timesteps().size());
  progress(GenerationPhase::kDenoising, 0, total);
  for (int i = 0; i < total; ++i) {
    // The reference casts t to the latents' dtype, then divides by 1000 in that dtype.
    const float t = round_to(round_to(scheduler.timesteps()[i], options.dtype) / 1000.0f, options.dtype);
    const Tensor timestep =
        ops::to_device(Tensor::from_vector(std::vector<float>(r.batch, t), {r.batch}), options.device);
    flux::FluxInputs in;
    in.hidden_states = latents;
    in.encoder_hidden_states = cond_b.sequence;
    in.pooled_projections = cond_b.pooled;
    in.timestep = timestep;
    in.rope = &rope;
    in.guidance = guidance;
    Tensor v = transformer->forward(in);
    if (do_cfg) {
      in.encoder_hidden_states = uncond_b.sequence;
      in.pooled_projections = uncond_b.pooled;
      const Tensor v_neg = transformer->forward(in);
      v = ops::add(v_neg, ops::scale(ops::sub(v, v_neg), r.true_cfg_scale));
    }
    if (r.preview_every > 0 && events.on_preview && ((i + 1) % r.preview_every == 0 || i + 1 == total)) {
      const Tensor x0 = scheduler.predict_x0(v, static_cast<size_t>(i), latents);
      events.on_preview(i + 1, latent_preview(unpack_latents(ops::to_device(x0, Device::cpu()), c, h, w, info.patch)));
    }
    latents = scheduler.step(v, static_cast<size_t>(i), latents, r.seed + static_cast<uint64_t>(i));
    progress(GenerationPhase::kDenoising, i + 1, total);
    if (events.cancel.cancelled()) return Error::cancelled("cancelled at step " + std::to_string(i + 1));
  }
  release(transformer);
  result.seconds_denoise = seconds_since(t_denoise);

  // 4. Decode.
  const Clock::time_point t_decode = Clock::now();
  const Tensor z = unpack_latents(latents, c, h, w, info.patch);
  progress(GenerationPhase::kDecoding, 0, 1);
  if (!vae) {
    DC_TRY(auto dir, component("vae"));
    DC_TRY(vae, LatentDecoder::load(info.vae_class, dir, load_options()));
  }
  if (kl_tiled && events.on_warning) {
    events.on_warning("the VAE decodes in " + std::to_string(kl_tile_sample) + "-pixel tiles with blended seams " +
                      "(diffusers' enable_vae_tiling): the whole " + std::to_string(r.width) + "x" +
                      std::to_string(r.height) + " decode does not fit " + format_bytes(job_memory));
  }
  Tensor images = vae->decode(z, kl_tiled);
  release(vae);
  result.images = ops::contiguous(ops::cast(ops::to_device(images, Device::cpu()), DType::kF32));
  result.seconds_decode = seconds_since(t_decode);
  for (int k = 0; k < r.batch; ++k) result.seeds.push_back(r.seed + static_cast<uint64_t>(k));
  if (options.device.is_cuda()) result.peak_device_bytes = cuda_memory_stats().peak_allocated_bytes;
  progress(GenerationPhase::kDone, 1, 1);
  return result;
}

}  // namespace dc::pipeline
