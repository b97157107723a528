#include "tests/cli/dcgen_runner.h"

#include <array>
#include <cstdio>
#include <sys/wait.h>

namespace dc::test {

CliRun dcgen(const std::string& args) {
  const std::string cmd = std::string(DCGEN_PATH) + " " + args + " 2>&1";
  CliRun r{-1, {}};
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

}  // namespace dc::test
