// Helpers for the `dcgen render` tests: projects of the tiny DC-Gen-FLUX
// pipeline written to a folder, output checks, a dcgen child process to signal.
#pragma once

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/dcgen_runner.h"
#include "tests/common/test_util.h"

namespace dc::test::render {

namespace fs = std::filesystem;
using nlohmann::json;

inline const fs::path kPipe = test::data_dir() / "flux_pipeline" / "tiny-dcgen-flux";

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline json image_shot(const std::string& id, uint64_t seed, int steps = 2) {
  return {{"id", id}, {"type", "image"}, {"model", "tiny"}, {"prompt", "shot " + id + ", a red cube"},
          {"seed", seed}, {"steps", steps}, {"width", 32}, {"height", 32}};
}

// A project in `dir` whose model is reached through a relative path (and a symlink).
inline fs::path write_project(const fs::path& dir, const json& shots, const std::string& format = "png",
                              const std::string& content_hash = "") {
  fs::create_directories(dir / "models");
  if (!fs::exists(dir / "models" / "tiny")) fs::create_directory_symlink(kPipe, dir / "models" / "tiny");
  json model = {{"id", "tiny"}, {"folder", "models/tiny"}};
  if (!content_hash.empty()) model["content_hash"] = content_hash;
  const json doc = {{"format", "dcstudio-project"}, {"version", 1},   {"name", "render test"},
                    {"models", {model}},            {"shots", shots}, {"output", {{"image_format", format}}}};
  const fs::path path = dir / "film.dcproj";
  std::ofstream(path) << doc.dump(2);
  return path;
}

inline json numbered_shots(int n, int steps = 2) {
  json shots = json::array();
  for (int i = 0; i < n; ++i) shots.push_back(image_shot("s" + std::to_string(i), 100 + i, steps));
  return shots;
}

inline std::string render(const fs::path& project, const std::string& extra = "") {
  return "render " + q(project) + " --device cpu " + extra;
}

// Hidden files left in the output folder (temporaries of killed writes).
inline std::vector<std::string> hidden_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().starts_with(".")) out.push_back(e.path().filename().string());
  return out;
}

// A whole PNG ends with its IEND chunk; a torn one does not.
inline bool is_whole_png(const fs::path& p) {
  const std::string bytes = slurp(p);
  static const std::string kIend("IEND\xAE\x42\x60\x82", 8);
  return bytes.size() > 16 && bytes.compare(0, 4, "\x89PNG") == 0 && bytes.ends_with(kIend);
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty() && l.rfind("dcgen", 0) != 0) out.push_back(l);
  return out;
}

// dcgen in a child process, output to `log`; the test can signal it.
class RenderProcess {
 public:
  RenderProcess(const std::string& args, fs::path log) : log_(std::move(log)) {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string cmd = "exec " + std::string(DCGEN_PATH) + " " + args + " >" + q(log_) + " 2>&1";
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~RenderProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::string log() const { return slurp(log_); }
  // Polls until `ready(log)` holds; false if the process exited first or after 120 s.
  bool wait_for(const std::function<bool(const std::string&)>& ready) {
    for (int i = 0; i < 2400; ++i) {
      if (ready(log())) return true;
      if (waitpid(pid_, &status_, WNOHANG) == pid_) {
        exited_ = true;
        return ready(log());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // Sends `sig` (unless it already exited) and returns the wait status.
  int stop(int sig) {
    if (!exited_) {
      kill(pid_, sig);
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
    return status_;
  }
  // Waits for it to exit by itself and returns the wait status.
  int wait() {
    if (!exited_) {
      waitpid(pid_, &status_, 0);
      exited_ = true;
    }
    return status_;
  }
  bool exited() const { return exited_; }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;
};

}  // namespace dc::test::render
