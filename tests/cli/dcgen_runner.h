// Runs the dcgen binary built with the tests, capturing what it prints.
#pragma once

#include <filesystem>
#include <string>

namespace dc::test {

struct CliRun {
  int exit_code;       // -1 when the process did not exit normally
  std::string output;  // stdout + stderr
};

CliRun dcgen(const std::string& args);

// A shell-quoted path for dcgen's argument string.
std::string q(const std::filesystem::path& p);

}  // namespace dc::test
