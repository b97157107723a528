#include <QTest>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "tests/ui/ui_test_registry.h"
#include "ui/common/guarded_application.h"

namespace dc::test {

std::map<std::string, UiTestFactory>& ui_tests() {
  static std::map<std::string, UiTestFactory> tests;
  return tests;
}

}  // namespace dc::test

int main(int argc, char** argv) {
  // No display needed; set before QApplication reads it.
  if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  dc::ui::GuardedApplication app(argc, argv);  // as dcstudio's
  QApplication::setApplicationName(QStringLiteral("DC Studio tests"));

  auto& tests = dc::test::ui_tests();
  std::vector<std::string> names;
  std::vector<char*> qtest_args = {argv[0]};
  if (argc > 1 && argv[1][0] != '-') {
    if (!tests.count(argv[1])) {
      std::fprintf(stderr, "dc_test_ui: no test class \"%s\"; known:", argv[1]);
      for (const auto& [name, _] : tests) std::fprintf(stderr, " %s", name.c_str());
      std::fprintf(stderr, "\n");
      return 2;
    }
    names.push_back(argv[1]);
    for (int i = 2; i < argc; ++i) qtest_args.push_back(argv[i]);
  } else {
    for (const auto& [name, _] : tests) names.push_back(name);
    for (int i = 1; i < argc; ++i) qtest_args.push_back(argv[i]);
  }
  int failures = 0;
  for (const std::string& name : names) {
    std::unique_ptr<QObject> test = tests.at(name)();
    failures += QTest::qExec(test.get(), static_cast<int>(qtest_args.size()), qtest_args.data());
  }
  return failures == 0 ? 0 : 1;
}
