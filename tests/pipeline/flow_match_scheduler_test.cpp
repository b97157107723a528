// FlowMatchEulerScheduler against diffusers' schedules
// (tests/reference/make_scheduler_goldens.py → tests/data/scheduler/flow_match_cases.json).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/diffusers/config_reader.h"
#include "core/pipeline/flow_match_scheduler.h"
#include "tests/common/test_util.h"

namespace dc::pipeline {
namespace {

nlohmann::json load_cases() {
  std::ifstream in(std::string(DC_TEST_DATA_DIR) + "/scheduler/flow_match_cases.json");
  return nlohmann::json::parse(in);
}

FlowMatchSchedulerConfig config_from(const nlohmann::json& j) {
  nlohmann::json cfg = j;
  cfg["_class_name"] = "FlowMatchEulerDiscreteScheduler";
  // A directory of its own: ctest runs the tests of this file as parallel processes.
  const test::TempDir dir;
  std::ofstream(dir / "scheduler_config.json") << cfg.dump();
  auto parsed = FlowMatchSchedulerConfig::from_folder(dir.path());
  EXPECT_TRUE(parsed) << parsed.error().message();
  return *parsed;
}

// Sigmas are f32 in both; our warps run in f64 and round once, diffusers' in
// numpy f32/f64 mixes, so allow a few f32 ulps.
void expect_close(const std::vector<float>& ours, const nlohmann::json& ref, double tol, const std::string& what) {
  ASSERT_EQ(ours.size(), ref.size()) << what;
  for (size_t i = 0; i < ours.size(); ++i) {
    const double r = ref[i].get<double>();
    EXPECT_NEAR(ours[i], r, tol * std::max(1.0, std::abs(r))) << what << " index " << i;
  }
}

TEST(FlowMatchScheduler, MatchesDiffusersSchedules) {
  const auto data = load_cases();
  int checked = 0, rejected = 0;
  for (const auto& c : data["cases"]) {
    const std::string name = c["config_name"].get<std::string>() + " steps " + std::to_string(c["steps"].get<int>()) +
                             " seq " + std::to_string(c["seq_len"].get<int>());
    FlowMatchEulerScheduler s(config_from(c["config"]));
    const int steps = c["steps"];
    Status st;
    if (c["config_name"] == "flux2") {
      st = s.set_timesteps_flux2(steps, flux_default_sigmas(steps),
                                 flux2_ratio(c["seq_len"].get<int64_t>(), c["channels"].get<int64_t>()));
    } else {
      const double mu = flux_shift_mu(c["seq_len"].get<int64_t>());
      EXPECT_NEAR(mu, c["mu"].get<double>(), 1e-12);
      st = c["given_sigmas"].get<bool>() ? s.set_timesteps(steps, flux_default_sigmas(steps), mu)
                                         : s.set_timesteps(steps, {}, mu);
    }
    bool ref_finite = true;
    for (const auto& v : c["sigmas"])
      if (v.is_null() || !std::isfinite(v.get<double>())) ref_finite = false;
    if (!ref_finite) {  // diffusers divides by zero here; we refuse with a message instead
      EXPECT_FALSE(st) << name;
      ++rejected;
      continue;
    }
    ASSERT_TRUE(st) << name << ": " << st.error().message();
    expect_close(s.sigmas(), c["sigmas"], 2e-6, name + " sigmas");
    expect_close(s.timesteps(), c["timesteps"], 2e-6, name + " timesteps");
    ++checked;
  }
  EXPECT_GT(checked, 150);
  EXPECT_GT(rejected, 0);
}

TEST(FlowMatchScheduler, EulerStepMatchesDiffusers) {
  const auto step = load_cases()["step"];
  FlowMatchEulerScheduler s(config_from(load_cases()["cases"][0]["config"]));
  ASSERT_TRUE(s.set_timesteps(4, flux_default_sigmas(4), 0.8));
  expect_close(s.sigmas(), step["sigmas"], 2e-6, "sigmas");
  const Shape shape = {2, 6};
  std::vector<float> x, v;
  for (const auto& e : step["sample"]) x.push_back(e.get<float>());
  for (const auto& e : step["model_output"]) v.push_back(e.get<float>());
  const Tensor prev = s.step(Tensor::from_vector(v, shape), 0, Tensor::from_vector(x, shape));
  for (int64_t i = 0; i < 12; ++i) EXPECT_NEAR(prev.data<float>()[i], step["prev"][i].get<float>(), 1e-6);
}

TEST(FlowMatchScheduler, DynamicShiftingNeedsMu) {
  FlowMatchSchedulerConfig cfg;
  cfg.use_dynamic_shifting = true;
  FlowMatchEulerScheduler s(cfg);
  EXPECT_FALSE(s.set_timesteps(20));
  EXPECT_TRUE(s.set_timesteps(20, {}, 1.0));
}

TEST(FlowMatchScheduler, RejectsOtherSchedulers) {
  const test::TempDir dir;
  std::ofstream(dir / "scheduler_config.json") << R"({"_class_name": "DPMSolverMultistepScheduler"})";
  auto r = FlowMatchSchedulerConfig::from_folder(dir.path());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("DPMSolverMultistepScheduler"), std::string::npos);
}

}  // namespace
}  // namespace dc::pipeline
