// diffusers FlowMatchEulerDiscreteScheduler: sigma schedules and the Euler step
// of rectified-flow sampling (x_{i+1} = x_i + (σ_{i+1} − σ_i)·v).
//
//   DC_TRY(auto cfg, FlowMatchSchedulerConfig::from_folder(pipeline / "scheduler"));
//   FlowMatchEulerScheduler s(cfg);
//   DC_TRY_STATUS(s.set_timesteps(20, flux_default_sigmas(20), flux_shift_mu(4096)));
//   for (size_t i = 0; i < s.timesteps().size(); ++i) x = s.step(v, i, x);
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "core/base/result.h"
#include "core/tensor/tensor.h"

namespace dc::pipeline {

// scheduler_config.json, with diffusers' defaults for absent keys.
struct FlowMatchSchedulerConfig {
  int64_t num_train_timesteps = 1000;
  double shift = 1.0;
  bool use_dynamic_shifting = false;
  double base_shift = 0.5;
  double max_shift = 1.15;
  int64_t base_image_seq_len = 256;
  int64_t max_image_seq_len = 4096;
  bool invert_sigmas = false;
  std::optional<double> shift_terminal;
  bool use_karras_sigmas = false;
  bool use_exponential_sigmas = false;
  bool exponential_time_shift = true;  // time_shift_type: "exponential" (true) or "linear"
  bool stochastic_sampling = false;

  static Result<FlowMatchSchedulerConfig> from_folder(const std::filesystem::path& folder);
};

class FlowMatchEulerScheduler {
 public:
  explicit FlowMatchEulerScheduler(FlowMatchSchedulerConfig config);

  // diffusers set_timesteps(num_inference_steps, sigmas=..., mu=...): `sigmas`
  // empty means the scheduler's own linspace; `mu` is required (and only used)
  // with use_dynamic_shifting.
  Status set_timesteps(int steps, const std::vector<double>& sigmas = {}, std::optional<double> mu = {});
  // DC-Gen's "flux2" schedule (pipeline_dcgen_flux.set_timesteps_flux2): the
  // base sigmas warped by σ' = r·σ / (1 + (r − 1)·σ), ignoring the config's shift.
  Status set_timesteps_flux2(int steps, const std::vector<double>& sigmas, double r);

  const std::vector<float>& timesteps() const { return timesteps_; }  // σ·num_train_timesteps
  const std::vector<float>& sigmas() const { return sigmas_; }        // timesteps + the terminal σ
  const FlowMatchSchedulerConfig& config() const { return config_; }

  // One Euler step from step index i: computed in f32, returned in the model
  // output's dtype (as diffusers). Stochastic sampling draws Philox noise from `seed`.
  Tensor step(const Tensor& model_output, size_t i, const Tensor& sample, uint64_t seed = 0) const;
  // The clean-sample estimate x0 = x − σ_i·v (latent previews).
  Tensor predict_x0(const Tensor& model_output, size_t i, const Tensor& sample) const;

 private:
  void finish(std::vector<double> sigmas);

  FlowMatchSchedulerConfig config_;
  double sigma_min_ = 0, sigma_max_ = 1;
  std::vector<float> timesteps_, sigmas_;
};

// FluxPipeline's base schedule: linspace(1, 1/steps, steps).
std::vector<double> flux_default_sigmas(int steps);
// FluxPipeline's calculate_shift: mu linear in the image token count between
// (base_seq_len, base_shift) and (max_seq_len, max_shift).
double flux_shift_mu(int64_t image_seq_len, int64_t base_seq_len = 256, int64_t max_seq_len = 4096,
                     double base_shift = 0.5, double max_shift = 1.15);
// DC-Gen's flux2 ratio r = sqrt(tokens·channels / base), base 4096 (calculate_flux2_r).
double flux2_ratio(int64_t image_seq_len, int64_t latent_channels, int64_t base_seq_len = 4096);

}  // namespace dc::pipeline
