#include "core/pipeline/flow_match_scheduler.h"

#include <cmath>

#include "core/base/assert.h"
#include "core/io/diffusers/config_reader.h"
#include "core/ops/copy.h"
#include "core/ops/elementwise.h"
#include "core/ops/random.h"

namespace dc::pipeline {

Result<FlowMatchSchedulerConfig> FlowMatchSchedulerConfig::from_folder(const std::filesystem::path& folder) {
  DC_TRY(ConfigReader r, ConfigReader::from_file(folder / "scheduler_config.json"));
  DC_TRY(std::string cls, r.class_name());
  if (cls != "FlowMatchEulerDiscreteScheduler") {
    return Error::not_supported((folder / "scheduler_config.json").string() + ": scheduler '" + cls +
                                "' is not supported (FLUX pipelines use FlowMatchEulerDiscreteScheduler)");
  }
  FlowMatchSchedulerConfig c;
  DC_TRY(c.num_train_timesteps, r.get_int_or("num_train_timesteps", c.num_train_timesteps));
  DC_TRY(c.shift, r.get_float_or("shift", c.shift));
  DC_TRY(c.use_dynamic_shifting, r.get_bool_or("use_dynamic_shifting", c.use_dynamic_shifting));
  DC_TRY(c.base_shift, r.get_float_or("base_shift", c.base_shift));
  DC_TRY(c.max_shift, r.get_float_or("max_shift", c.max_shift));
  DC_TRY(c.base_image_seq_len, r.get_int_or("base_image_seq_len", c.base_image_seq_len));
  DC_TRY(c.max_image_seq_len, r.get_int_or("max_image_seq_len", c.max_image_seq_len));
  DC_TRY(c.invert_sigmas, r.get_bool_or("invert_sigmas", c.invert_sigmas));
  if (r.has("shift_terminal")) {
    DC_TRY(double t, r.get_float("shift_terminal"));
    c.shift_terminal = t;
  }
  DC_TRY(c.use_karras_sigmas, r.get_bool_or("use_karras_sigmas", false));
  DC_TRY(c.use_exponential_sigmas, r.get_bool_or("use_exponential_sigmas", false));
  DC_TRY(bool beta, r.get_bool_or("use_beta_sigmas", false));
  DC_TRY(std::string shift_type, r.get_string_or("time_shift_type", "exponential"));
  DC_TRY(c.stochastic_sampling, r.get_bool_or("stochastic_sampling", false));
  const std::string where = (folder / "scheduler_config.json").string();
  if (beta) return Error::not_supported(where + ": use_beta_sigmas is not supported");
  if (int(c.use_karras_sigmas) + int(c.use_exponential_sigmas) > 1) {
    return Error::format(where + ": only one of use_karras_sigmas / use_exponential_sigmas may be set");
  }
  if (shift_type != "exponential" && shift_type != "linear") {
    return Error::format(where + ": time_shift_type must be \"exponential\" or \"linear\", got \"" + shift_type + "\"");
  }
  c.exponential_time_shift = shift_type == "exponential";
  if (c.num_train_timesteps <= 0 || c.shift <= 0) {
    return Error::format(where + ": num_train_timesteps and shift must be positive");
  }
  return c;
}

FlowMatchEulerScheduler::FlowMatchEulerScheduler(FlowMatchSchedulerConfig config) : config_(std::move(config)) {
  // The training schedule's end points (diffusers __init__): σ = t/N for t = N..1, shifted statically.
  const double n = static_cast<double>(config_.num_train_timesteps);
  auto shifted = [&](double s) {
    return config_.use_dynamic_shifting ? s : config_.shift * s / (1.0 + (config_.shift - 1.0) * s);
  };
  sigma_max_ = shifted(1.0);
  sigma_min_ = shifted(1.0 / n);
}

Status FlowMatchEulerScheduler::set_timesteps(int steps, const std::vector<double>& given, std::optional<double> mu) {
  if (steps <= 0 && given.empty()) return Error::invalid_argument("the number of steps must be positive");
  if (config_.use_dynamic_shifting && !mu) {
    return Error::invalid_argument("this scheduler uses dynamic shifting: a mu (image-size shift) is required");
  }
  std::vector<double> s;
  if (given.empty()) {
    const double n = static_cast<double>(config_.num_train_timesteps);
    const double t0 = sigma_max_ * n, t1 = sigma_min_ * n;
    for (int i = 0; i < steps; ++i) s.push_back((steps == 1 ? t0 : t0 + (t1 - t0) * i / (steps - 1)) / n);
  } else {
    for (double v : given) s.push_back(static_cast<float>(v));  // diffusers casts given sigmas to f32
  }
  for (double& v : s) {
    if (config_.use_dynamic_shifting) {
      const double base = std::pow(1.0 / v - 1.0, 1.0);
      v = config_.exponential_time_shift ? std::exp(*mu) / (std::exp(*mu) + base) : *mu / (*mu + base);
    } else {
      v = config_.shift * v / (1.0 + (config_.shift - 1.0) * v);
    }
  }
  if (config_.shift_terminal) {
    // Stretch so the last sigma lands on shift_terminal: 1 − (1 − σ)/scale.
    const double scale = (1.0 - s.back()) / (1.0 - *config_.shift_terminal);
    for (double& v : s) v = 1.0 - (1.0 - v) / scale;
  }
  if (config_.use_karras_sigmas || config_.use_exponential_sigmas) {
    const double lo = s.back(), hi = s.front();
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) {
      const double f = n == 1 ? 0.0 : static_cast<double>(i) / (n - 1);
      if (config_.use_karras_sigmas) {
        const double rho = 7.0, a = std::pow(hi, 1.0 / rho), b = std::pow(lo, 1.0 / rho);
        s[i] = std::pow(a + f * (b - a), rho);
      } else {
        s[i] = std::exp(std::log(hi) + f * (std::log(lo) - std::log(hi)));
      }
    }
  }
  for (double v : s) {
    if (!std::isfinite(v)) {
      return Error::invalid_argument("the scheduler settings give a non-finite sigma for " + std::to_string(steps) +
                                     " steps (shift_terminal needs at least 2 steps)");
    }
  }
  finish(std::move(s));
  return {};
}

Status FlowMatchEulerScheduler::set_timesteps_flux2(int steps, const std::vector<double>& given, double r) {
  std::vector<double> s = given.empty() ? flux_default_sigmas(steps) : given;
  if (s.empty()) return Error::invalid_argument("the number of steps must be positive");
  for (double& v : s) {
    const double t = static_cast<float>(v);
    v = r * t / (1.0 + (r - 1.0) * t);
  }
  finish(std::move(s));
  return {};
}

void FlowMatchEulerScheduler::finish(std::vector<double> s) {
  const double n = static_cast<double>(config_.num_train_timesteps);
  timesteps_.clear();
  sigmas_.clear();
  for (double v : s) {
    const float sigma = static_cast<float>(config_.invert_sigmas ? 1.0 - v : v);
    sigmas_.push_back(sigma);
    timesteps_.push_back(sigma * static_cast<float>(n));
  }
  sigmas_.push_back(config_.invert_sigmas ? 1.0f : 0.0f);
}

Tensor FlowMatchEulerScheduler::step(const Tensor& model_output, size_t i, const Tensor& sample, uint64_t seed) const {
  DC_CHECK(i + 1 < sigmas_.size(), "scheduler step " << i << " past the schedule of " << timesteps_.size());
  const float sigma = sigmas_[i], sigma_next = sigmas_[i + 1];
  const Tensor x = ops::cast(sample, DType::kF32);
  const Tensor v = ops::cast(model_output, DType::kF32);
  Tensor prev;
  if (config_.stochastic_sampling) {
    const Tensor x0 = ops::sub(x, ops::scale(v, sigma));
    const Tensor noise = ops::randn(x.shape(), seed, DType::kF32, x.device());
    prev = ops::add(ops::scale(x0, 1.0f - sigma_next), ops::scale(noise, sigma_next));
  } else {
    prev = ops::add(x, ops::scale(v, sigma_next - sigma));
  }
  return ops::cast(prev, model_output.dtype());
}

Tensor FlowMatchEulerScheduler::predict_x0(const Tensor& model_output, size_t i, const Tensor& sample) const {
  DC_CHECK(i < timesteps_.size(), "scheduler step " << i << " past the schedule");
  return ops::sub(ops::cast(sample, DType::kF32), ops::scale(ops::cast(model_output, DType::kF32), sigmas_[i]));
}

std::vector<double> flux_default_sigmas(int steps) {
  std::vector<double> s;
  for (int i = 0; i < steps; ++i) {
    const double end = 1.0 / steps;
    s.push_back(steps == 1 ? 1.0 : 1.0 + (end - 1.0) * i / (steps - 1));
  }
  return s;
}

double flux_shift_mu(int64_t image_seq_len, int64_t base_seq_len, int64_t max_seq_len, double base_shift,
                     double max_shift) {
  const double m = (max_shift - base_shift) / static_cast<double>(max_seq_len - base_seq_len);
  const double b = base_shift - m * static_cast<double>(base_seq_len);
  return static_cast<double>(image_seq_len) * m + b;
}

double flux2_ratio(int64_t image_seq_len, int64_t latent_channels, int64_t base_seq_len) {
  return std::sqrt(static_cast<double>(image_seq_len * latent_channels) / static_cast<double>(base_seq_len));
}

}  // namespace dc::pipeline
