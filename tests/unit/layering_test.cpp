// The dependency rules of STYLE.md section 3, checked on the source tree:
// core/ and gpu/ never see Qt, ui/ or app/; gpu/ never includes core/; ui/ never includes app/.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Rule {
  std::string folder;
  std::regex forbidden;
  std::string why;
};

std::vector<std::string> violations(const Rule& rule) {
  std::vector<std::string> found;
  const fs::path root = fs::path(DC_SOURCE_DIR) / rule.folder;
  const std::regex include_line(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cpp" && ext != ".cu" && ext != ".cuh") continue;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::smatch m;
      if (std::regex_search(line, m, include_line) && std::regex_search(m[1].str(), rule.forbidden))
        found.push_back(entry.path().string() + ":" + std::to_string(number) + ": " + line);
    }
  }
  return found;
}

TEST(Layering, LowerLayersDoNotIncludeUpperOnes) {
  const Rule rules[] = {
      {"core", std::regex(R"(^(Q[A-Za-z]+|Qt[A-Za-z]*/.*|ui/.*|app/.*)$)"), "core never includes Qt, ui or app"},
      {"gpu", std::regex(R"(^(Q[A-Za-z]+|Qt[A-Za-z]*/.*|ui/.*|app/.*|core/.*)$)"), "gpu depends on toolkits only"},
      {"ui", std::regex(R"(^app/.*$)"), "ui never includes app (app/dcstudio is a thin main over ui)"},
  };
  for (const Rule& rule : rules) {
    const auto found = violations(rule);
    EXPECT_TRUE(found.empty()) << rule.why << ":\n" << [&] {
      std::string s;
      for (const auto& f : found) s += "  " + f + "\n";
      return s;
    }();
  }
}

}  // namespace
